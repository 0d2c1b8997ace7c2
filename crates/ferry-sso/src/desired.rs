//! What should exist on the identity provider for a plan: its groups and one OIDC
//! client per chosen app that can sign in, with that app's redirect addresses.

use std::collections::BTreeSet;

use ferry_core::Plan;
use ferry_core::deploy::domain_for;
use ferry_core::exit::chosen_apps;
use ferry_core::model::IdpKind;
use ferry_core::validate::FieldProblem;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apps::{self, Support};

/// Groups every organisation gets; apps add one each (`app-<recipe>`).
pub const MEMBERS_GROUP: &str = "members";
pub const BOARD_GROUP: &str = "board";
/// Each app's access group is this prefix and the recipe (`app-nextcloud`).
pub const APP_GROUP_PREFIX: &str = "app-";

/// The settings of a client that Ferry compares with what the provider has.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ClientSettings {
    pub redirect_uris: BTreeSet<String>,
    pub post_logout_redirect_uris: BTreeSet<String>,
    /// PKCE required; `None` where the provider has no such setting (Authentik).
    pub pkce: Option<bool>,
    /// The ID token carries the user's groups.
    pub groups_claim: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesiredClient {
    pub client_id: String,
    /// Shown in the provider's admin screens.
    pub name: String,
    pub recipe: String,
    pub need: String,
    /// `https://<domain>/`
    pub base_url: String,
    pub settings: ClientSettings,
    /// The group for people who may use this app.
    pub access_group: String,
    /// Whether the provider lets only that group sign in to the app (see [`enforces_access`]).
    pub access_enforced: bool,
}

/// Why an app of the plan gets no client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Ferry has no reviewed sign-on facts for the recipe.
    Unknown,
    /// Only a paid edition signs in with OIDC.
    PaidEdition,
    /// Needs an adapter service Ferry does not set up.
    NeedsAdapter,
    /// Signs in through the Matrix homeserver's client.
    ViaHomeserver,
    /// The app makes its return address only once it runs (Wiki.js): a client
    /// without one would trust whoever calls first, so it is set up by hand then.
    RedirectAfterSetup,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Skipped {
    pub need: String,
    pub recipe: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Desired {
    pub idp: IdpKind,
    /// Where the provider answers, without a trailing slash.
    pub url: String,
    /// Keycloak's realm; ignored by the others.
    pub realm: String,
    pub groups: Vec<String>,
    pub clients: Vec<DesiredClient>,
    pub skipped: Vec<Skipped>,
}

/// Whether the provider can keep people outside an app's `app-<recipe>` group from
/// signing in to it: Authentik by a policy binding on the application, Rauthy by the
/// client's group prefix, Keycloak by a sign-in flow per client that denies whoever
/// lacks the client role the group holds (provider/keycloak/access.rs). All three do.
pub fn enforces_access(idp: IdpKind) -> bool {
    match idp {
        IdpKind::Authentik | IdpKind::Rauthy | IdpKind::Keycloak => true,
    }
}

/// The client's name in the provider's admin screens, within the provider's rules:
/// Rauthy takes only letters, digits, `-` and spaces (2–128), so "Barn & Unge e.V.
/// (Bergen)" loses its `&`, `.` and brackets there.
pub fn client_name(idp: IdpKind, organisation: &str, recipe: &str) -> String {
    let full = format!("{} - {recipe}", organisation.trim());
    match idp {
        IdpKind::Rauthy => rauthy_name(&full).unwrap_or_else(|| recipe.to_owned()),
        _ => full,
    }
}

/// `name` cut to what Rauthy's client-name rule takes (`[a-zA-Z0-9À-ɏ-\s]{2,128}`),
/// or None when too little is left.
pub fn rauthy_name(name: &str) -> Option<String> {
    let kept: String = name
        .chars()
        .filter(|c| *c != '.' && *c != '\'')
        .map(|c| if rauthy_name_char(c) { c } else { ' ' })
        .collect();
    let joined = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = joined.chars().take(128).collect();
    let cut = cut.trim().to_owned();
    (cut.chars().count() >= 2).then_some(cut)
}

/// One character Rauthy allows in a client name.
pub fn rauthy_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{C0}'..='\u{24F}').contains(&c) || c == '-' || c == ' '
}

/// The organisation's short name, for realm and auth-source names: lowercase ASCII
/// letters, digits and dashes (`Fagforeningen Øst` → `fagforeningen-ost`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let piece = match c {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' => "o",
            'å' | 'ä' | 'á' | 'à' => "a",
            'ü' | 'ú' => "u",
            'é' | 'è' | 'ê' => "e",
            'í' => "i",
            'ñ' => "n",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(piece);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    let joined = parts.join("-");
    let cut: String = joined.chars().take(40).collect();
    let cut = cut.trim_end_matches('-').to_owned();
    if cut.is_empty() {
        "ferry".to_owned()
    } else {
        cut
    }
}

/// Whether `url` is an address Ferry will send admin credentials to (the same rule
/// as for hosting co-ops): the address, or the message key of what is wrong.
pub fn check_url(url: &str) -> Result<String, &'static str> {
    use ferry_hosting::client::{UrlProblem, secure_base_url};
    secure_base_url(url).map_err(|p| match p {
        UrlProblem::NotHttps => "url_not_https",
        UrlProblem::Invalid => "url_invalid",
    })
}

fn valid_group(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '))
}

/// The provider alone (kind, address, realm), with only the groups every organisation
/// gets and no clients: enough to sign in and check the credentials with one read,
/// before the apps' domains are known. Or what the provider's own fields lack.
pub fn provider_of(plan: &Plan) -> Result<Desired, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let (url, realm) = provider_fields(plan, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Desired {
        idp: plan.sso.idp.unwrap_or(IdpKind::Keycloak),
        url,
        realm,
        groups: vec![MEMBERS_GROUP.to_owned(), BOARD_GROUP.to_owned()],
        clients: Vec::new(),
        skipped: Vec::new(),
    })
}

/// The provider's address and realm, each problem of the provider's fields added.
fn provider_fields(plan: &Plan, problems: &mut Vec<FieldProblem>) -> (String, String) {
    let sso = &plan.sso;
    if sso.idp.is_none() {
        problems.push(FieldProblem::new("sso.idp", "required"));
    }
    let url = match check_url(&sso.url) {
        Ok(u) => u,
        Err(_) if sso.url.trim().is_empty() => {
            problems.push(FieldProblem::new("sso.url", "required"));
            String::new()
        }
        Err(key) => {
            problems.push(FieldProblem::new("sso.url", key).with_value(sso.url.clone()));
            String::new()
        }
    };
    let realm = if sso.realm.trim().is_empty() {
        slug(&plan.organisation.name)
    } else {
        sso.realm.trim().to_owned()
    };
    if sso.idp == Some(IdpKind::Keycloak) && slug(&realm) != realm {
        problems.push(FieldProblem::new("sso.realm", "realm_invalid").with_value(realm.clone()));
    }
    if !sso.ca_pem.trim().is_empty()
        && let Err(key) = crate::trust::read(&sso.ca_pem)
    {
        problems.push(FieldProblem::new("sso.ca_pem", key));
    }
    (url, realm)
}

/// What the plan asks for, or what must be filled in first (field + message key).
pub fn from_plan(plan: &Plan) -> Result<Desired, Vec<FieldProblem>> {
    let sso = &plan.sso;
    let mut problems = Vec::new();
    let (url, realm) = provider_fields(plan, &mut problems);
    let org_slug = slug(&plan.organisation.name);

    let mut groups = vec![MEMBERS_GROUP.to_owned(), BOARD_GROUP.to_owned()];
    let mut clients = Vec::new();
    let mut skipped = Vec::new();
    // One app chosen for several needs (Nextcloud for files and calendars) is one
    // client and one group: the first need it was chosen for names it.
    let mut seen = BTreeSet::new();
    for (need, recipe) in chosen_apps(plan) {
        if !seen.insert(recipe) {
            continue;
        }
        let skip = |reason| Skipped {
            need: need.to_owned(),
            recipe: recipe.to_owned(),
            reason,
        };
        let Some(app) = apps::for_recipe(recipe) else {
            skipped.push(skip(SkipReason::Unknown));
            continue;
        };
        match app.support {
            Support::Paid => skipped.push(skip(SkipReason::PaidEdition)),
            Support::Adapter => skipped.push(skip(SkipReason::NeedsAdapter)),
            Support::ViaHomeserver => skipped.push(skip(SkipReason::ViaHomeserver)),
            Support::Native | Support::Plugin if app.redirect_after_setup => {
                skipped.push(skip(SkipReason::RedirectAfterSetup))
            }
            Support::Native | Support::Plugin => {
                let Some(domain) = domain_for(plan, need, recipe) else {
                    problems.push(FieldProblem::new("deploy.base_domain", "required"));
                    continue;
                };
                let base_url = format!("https://{domain}");
                let access_group = format!("{APP_GROUP_PREFIX}{recipe}");
                groups.push(access_group.clone());
                clients.push(DesiredClient {
                    client_id: recipe.to_owned(),
                    name: client_name(
                        sso.idp.unwrap_or(IdpKind::Keycloak),
                        &plan.organisation.name,
                        recipe,
                    ),
                    recipe: recipe.to_owned(),
                    need: need.to_owned(),
                    settings: ClientSettings {
                        redirect_uris: app
                            .redirect_paths
                            .iter()
                            .map(|p| format!("{base_url}{}", p.replace("{org_slug}", &org_slug)))
                            .collect(),
                        post_logout_redirect_uris: BTreeSet::from([format!("{base_url}/")]),
                        pkce: Some(app.pkce),
                        groups_claim: true,
                    },
                    base_url: format!("{base_url}/"),
                    access_group,
                    access_enforced: enforces_access(sso.idp.unwrap_or(IdpKind::Keycloak)),
                });
            }
        }
    }
    for g in &sso.extra_groups {
        let g = g.trim();
        if g.is_empty() {
            continue;
        }
        if !valid_group(g) {
            problems.push(FieldProblem::new("sso.extra_groups", "group_invalid").with_value(g));
        } else if !groups.iter().any(|have| have == g) {
            groups.push(g.to_owned());
        }
    }
    problems.dedup();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Desired {
        idp: sso.idp.unwrap_or(IdpKind::Keycloak),
        url,
        realm,
        groups,
        clients,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferry_core::model::Decision;

    fn plan_with(apps: &[(&str, &str)]) -> Plan {
        let mut plan = Plan::new("Fagforeningen Øst", ferry_core::Language::Nb).unwrap();
        for (need, recipe) in apps {
            plan.recipes.set(
                need,
                Decision::Recipe {
                    name: (*recipe).to_owned(),
                },
            );
        }
        plan.sso.idp = Some(IdpKind::Keycloak);
        plan.sso.url = "https://login.example.org/".into();
        plan.deploy.base_domain = "example.org".into();
        plan
    }

    #[test]
    fn an_app_chosen_for_two_needs_is_one_client_and_one_group() {
        let plan = plan_with(&[("files", "nextcloud"), ("calendar", "nextcloud")]);
        let d = from_plan(&plan).unwrap();
        let ids: Vec<_> = d.clients.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["nextcloud"]);
        let app_groups = d
            .groups
            .iter()
            .filter(|g| g.starts_with(APP_GROUP_PREFIX))
            .count();
        assert_eq!(app_groups, 1, "{:?}", d.groups);
    }

    #[test]
    fn one_client_per_app_that_signs_in_with_its_own_redirects() {
        let plan = plan_with(&[
            ("files", "nextcloud"),
            ("video_meetings", "jitsi"),
            ("wiki", "bookstack"),
            ("team_chat", "mattermost"),
        ]);
        let d = from_plan(&plan).unwrap();
        assert_eq!(d.url, "https://login.example.org");
        assert_eq!(d.realm, "fagforeningen-ost");
        let ids: Vec<_> = d.clients.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["nextcloud", "bookstack"]);
        let nc = &d.clients[0];
        assert_eq!(
            nc.settings.redirect_uris,
            BTreeSet::from(["https://nextcloud.example.org/apps/user_oidc/code".to_owned()])
        );
        assert_eq!(nc.settings.pkce, Some(true));
        assert_eq!(
            d.groups,
            ["members", "board", "app-nextcloud", "app-bookstack"]
        );
        let reasons: Vec<_> = d
            .skipped
            .iter()
            .map(|s| (s.recipe.as_str(), s.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("jitsi", SkipReason::NeedsAdapter),
                ("mattermost", SkipReason::PaidEdition)
            ]
        );
    }

    #[test]
    fn what_is_missing_is_named_field_by_field() {
        let mut plan = plan_with(&[("files", "nextcloud")]);
        plan.sso.idp = None;
        plan.sso.url = "http://login.example.org".into();
        plan.deploy.base_domain.clear();
        plan.sso.extra_groups = vec!["bad/name".into()];
        let problems = from_plan(&plan).unwrap_err();
        let keys: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("sso.idp", "required"),
                ("sso.url", "url_not_https"),
                ("deploy.base_domain", "required"),
                ("sso.extra_groups", "group_invalid")
            ]
        );
    }

    #[test]
    fn client_names_keep_to_the_providers_rules() {
        let org = "Foreningen for Barn & Unge e.V. (Bergen)";
        assert_eq!(
            client_name(IdpKind::Rauthy, org, "nextcloud"),
            "Foreningen for Barn Unge eV Bergen - nextcloud"
        );
        assert_eq!(
            client_name(IdpKind::Authentik, org, "nextcloud"),
            "Foreningen for Barn & Unge e.V. (Bergen) - nextcloud"
        );
        assert_eq!(
            rauthy_name("Ærlig, åpen & ærlig"),
            Some("Ærlig åpen ærlig".into())
        );
        assert_eq!(client_name(IdpKind::Rauthy, "&&&", "x"), "- x");
        assert_eq!(rauthy_name("&"), None);
        let long = "Å".repeat(300);
        assert_eq!(rauthy_name(&long).unwrap().chars().count(), 128);
    }

    #[test]
    fn an_app_that_makes_its_return_address_later_gets_no_client_yet() {
        let plan = plan_with(&[("wiki", "wiki-js"), ("files", "nextcloud")]);
        let d = from_plan(&plan).unwrap();
        assert_eq!(d.clients.len(), 1);
        assert!(
            d.clients
                .iter()
                .all(|c| !c.settings.redirect_uris.is_empty())
        );
        assert_eq!(d.skipped[0].reason, SkipReason::RedirectAfterSetup);
    }

    #[test]
    fn org_slugs_are_ascii() {
        assert_eq!(
            slug("Pasientforeningen Ærlig & Åpen"),
            "pasientforeningen-aerlig-apen"
        );
        assert_eq!(slug("  ---  "), "ferry");
        assert_eq!(
            check_url("http://127.0.0.1:8080/"),
            Ok("http://127.0.0.1:8080".into())
        );
        assert_eq!(check_url("ftp://x.org"), Err("url_invalid"));
    }
}
