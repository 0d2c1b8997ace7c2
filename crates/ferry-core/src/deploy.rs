//! From a plan to an order for the hosting co-op: which apps, on which domains, with
//! what generated. The co-op's API and its rules are in `ferry_hosting`.

use ferry_hosting::rules::is_domain;
use ferry_hosting::{AppRequest, OrderRequest};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::exit::chosen_apps;
use crate::model::{IdpKind, Plan};
use crate::validate::FieldProblem;

/// One app as the order will carry it, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewApp {
    pub need: String,
    pub recipe: String,
    /// `None` until there is a base domain or a domain of its own.
    pub domain: Option<String>,
    /// Whether single sign-on is wired (an OIDC client secret from the SSO step).
    pub sso_wired: bool,
}

/// The domain of the app for `need`: the plan's own choice, else `<recipe>.<base>`.
pub fn domain_for(plan: &Plan, need: &str, recipe: &str) -> Option<String> {
    let own = plan
        .deploy
        .domains
        .iter()
        .find(|d| d.need == need)
        .map(|d| d.domain.trim().to_lowercase())
        .filter(|d| !d.is_empty());
    let base = plan.deploy.base_domain.trim().to_lowercase();
    own.or_else(|| (!base.is_empty()).then(|| format!("{recipe}.{base}")))
}

pub fn preview(plan: &Plan) -> Vec<PreviewApp> {
    chosen_apps(plan)
        .into_iter()
        .map(|(need, recipe)| PreviewApp {
            need: need.to_owned(),
            recipe: recipe.to_owned(),
            domain: domain_for(plan, need, recipe),
            sso_wired: plan.sso.works_for(recipe),
        })
        .collect()
}

/// The order for the plan's chosen apps, or what must be fixed first.
pub fn order_request(plan: &Plan) -> Result<OrderRequest, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let apps = preview(plan);
    if apps.is_empty() {
        problems.push(FieldProblem::new("recipes.choices", "no_apps"));
    }
    let mut out = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        match &app.domain {
            None => problems.push(FieldProblem::new("deploy.base_domain", "required")),
            Some(d) if !is_domain(d) => problems.push(
                FieldProblem::new(format!("deploy.domains.{}", app.need), "domain_invalid")
                    .with_value(d.clone()),
            ),
            Some(d) if apps[..i].iter().any(|o| o.domain.as_ref() == Some(d)) => problems.push(
                FieldProblem::new(format!("deploy.domains.{}", app.need), "duplicate")
                    .with_value(d.clone()),
            ),
            Some(d) => out.push(AppRequest {
                recipe: app.recipe.clone(),
                version: None,
                domain: d.clone(),
                env: Default::default(),
                overlays: Vec::new(),
                generate_secrets: true,
                secrets: Vec::new(),
            }),
        }
    }
    problems.dedup();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(OrderRequest {
        organisation: plan.organisation.name.trim().to_owned(),
        server: None,
        storage_gb: plan.exit_plan.storage_needed_gb,
        seal_to: None,
        apps: out,
    })
}

/// The sign-in service's domain: the one it was ordered on, else `login.<base>`.
pub fn sign_in_domain(plan: &Plan) -> Option<String> {
    if let Some(s) = &plan.deploy.sign_in {
        return Some(s.domain.clone());
    }
    let base = plan.deploy.base_domain.trim().to_lowercase();
    (!base.is_empty()).then(|| format!("login.{base}"))
}

/// The order for the sign-in service alone (phase 1), its admin credential to be
/// sealed to `seal_to`; or what must be fixed first.
pub fn sign_in_request(
    plan: &Plan,
    idp: IdpKind,
    seal_to: &str,
) -> Result<OrderRequest, Vec<FieldProblem>> {
    let domain = match sign_in_domain(plan) {
        None => return Err(vec![FieldProblem::new("deploy.base_domain", "required")]),
        Some(d) if !is_domain(&d) => {
            return Err(vec![
                FieldProblem::new("deploy.base_domain", "domain_invalid").with_value(d),
            ]);
        }
        Some(d) => d,
    };
    if preview(plan)
        .iter()
        .any(|a| a.domain.as_deref() == Some(domain.as_str()))
    {
        return Err(vec![
            FieldProblem::new("deploy.base_domain", "duplicate").with_value(domain),
        ]);
    }
    Ok(OrderRequest {
        organisation: plan.organisation.name.trim().to_owned(),
        server: None,
        storage_gb: None,
        seal_to: Some(seal_to.to_owned()),
        apps: vec![AppRequest {
            recipe: idp.key().to_owned(),
            version: None,
            domain,
            env: Default::default(),
            overlays: Vec::new(),
            generate_secrets: true,
            secrets: Vec::new(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppDomain, Decision, Language};

    #[test]
    fn apps_get_recipe_subdomains_unless_given_their_own() {
        let mut plan = Plan::new("Pasientforeningen", Language::Nb).unwrap();
        assert_eq!(order_request(&plan).unwrap_err()[0].code, "no_apps");
        plan.recipes.set(
            "files",
            Decision::Recipe {
                name: "nextcloud".into(),
            },
        );
        plan.recipes.set(
            "notes",
            Decision::Recipe {
                name: "hedgedoc".into(),
            },
        );
        plan.recipes.set("video_meetings", Decision::KeepCurrent);
        assert_eq!(
            order_request(&plan).unwrap_err()[0].field,
            "deploy.base_domain"
        );
        plan.deploy.base_domain = " Pasient.Example.NO ".into();
        plan.deploy.domains.push(AppDomain {
            need: "notes".into(),
            domain: "pad.pasient.example.no".into(),
        });
        let order = order_request(&plan).unwrap();
        let domains: Vec<_> = order
            .apps
            .iter()
            .map(|a| (a.recipe.as_str(), a.domain.as_str()))
            .collect();
        assert_eq!(
            domains,
            [
                ("nextcloud", "nextcloud.pasient.example.no"),
                ("hedgedoc", "pad.pasient.example.no")
            ]
        );
        assert_eq!(order.organisation, "Pasientforeningen");
        assert_eq!(order.storage_gb, None, "not known, not sent");
        plan.exit_plan.storage_needed_gb = Some(28);
        assert_eq!(order_request(&plan).unwrap().storage_gb, Some(28));

        plan.deploy.domains[0].domain = "nextcloud.pasient.example.no".into();
        assert_eq!(order_request(&plan).unwrap_err()[0].code, "duplicate");
        plan.deploy.domains[0].domain = "x; rm -rf /".into();
        assert_eq!(order_request(&plan).unwrap_err()[0].code, "domain_invalid");
    }

    #[test]
    fn the_sign_in_service_goes_on_login_of_the_base_domain_alone() {
        let mut plan = Plan::new("Lag", Language::En).unwrap();
        let problem = sign_in_request(&plan, IdpKind::Keycloak, "k").unwrap_err();
        assert_eq!(problem[0].field, "deploy.base_domain");
        plan.deploy.base_domain = "lag.example.org".into();
        let order = sign_in_request(&plan, IdpKind::Rauthy, "k").unwrap();
        assert_eq!(order.apps.len(), 1);
        assert_eq!(order.apps[0].recipe, "rauthy");
        assert_eq!(order.apps[0].domain, "login.lag.example.org");
        assert_eq!(order.seal_to.as_deref(), Some("k"));
        // An app already on that domain: the sign-in service cannot share it.
        plan.recipes.set(
            "files",
            Decision::Recipe {
                name: "nextcloud".into(),
            },
        );
        plan.deploy.domains.push(AppDomain {
            need: "files".into(),
            domain: "login.lag.example.org".into(),
        });
        let problem = sign_in_request(&plan, IdpKind::Keycloak, "k").unwrap_err();
        assert_eq!(problem[0].code, "duplicate");
    }
}
