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
use crate::names::{Renamed, client_name, organisation_renamed, slug};
use crate::owner::{Owner, short_name};

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
    /// The group for people who may use this app, as the provider names it.
    pub access_group: String,
    /// The id an earlier Ferry gave it (the bare recipe), kept: apps already use it.
    pub legacy: bool,
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

/// One of the organisation's groups: its name on the provider, and as the plan and the
/// member list say it (`board`, `app-nextcloud`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesiredGroup {
    pub name: String,
    pub local: String,
    /// Named by an earlier Ferry without the organisation (kept as it is).
    pub legacy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Desired {
    pub idp: IdpKind,
    /// Where the provider answers, without a trailing slash.
    pub url: String,
    /// Keycloak's realm; ignored by the others.
    pub realm: String,
    /// The organisation, as its objects are marked.
    pub owner: Owner,
    /// The organisation's short name: Keycloak's realm, the prefix of client ids and
    /// group names on Authentik and Rauthy.
    pub short: String,
    pub groups: Vec<DesiredGroup>,
    pub clients: Vec<DesiredClient>,
    pub skipped: Vec<Skipped>,
    /// The hosts the organisation's apps live at: an object from before marks whose
    /// return addresses are all here is recognised as the organisation's.
    pub domains: Vec<String>,
    /// Names the provider cannot take as they are, with what they become.
    pub renamed: Vec<Renamed>,
}

impl Desired {
    /// Without the clients that are someone else's: nothing of theirs is changed or
    /// read (their secret least of all).
    pub fn without(&self, conflicts: &[crate::owner::Conflict]) -> Desired {
        let mut out = self.clone();
        out.clients
            .retain(|c| !conflicts.iter().any(|x| x.blocks(&c.client_id)));
        out
    }

    /// The provider's name for a group as the plan says it (`board`), if it is one.
    pub fn group_name(&self, local: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.local == local || g.name == local)
            .map(|g| g.name.as_str())
    }
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

/// Longest short name on Authentik and Rauthy, so that `<short>/app-<recipe>` keeps
/// within Rauthy's 64-character group names.
const SHARED_SHORT_MAX: usize = 24;
/// Longest group name Rauthy takes (`RE_GROUPS`).
const GROUP_MAX: usize = 64;

/// Whether the provider is one install for everybody (Authentik, Rauthy), so that
/// client ids and group names carry the organisation's short name; Keycloak gives
/// each organisation a realm of its own.
pub fn shared_namespace(idp: IdpKind) -> bool {
    idp != IdpKind::Keycloak
}

/// Whether an earlier Ferry (before names carried the organisation) set this plan up:
/// it kept results whose client ids are bare recipes. Its objects keep those names.
fn set_up_before_marks(plan: &Plan) -> bool {
    plan.sso.results.iter().any(|r| r.client_id == r.recipe)
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
    let fields = provider_fields(plan, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let renamed = organisation_renamed(fields.idp, &plan.organisation.name, &fields.short)
        .into_iter()
        .collect();
    Ok(Desired {
        idp: fields.idp,
        groups: vec![fields.group(MEMBERS_GROUP), fields.group(BOARD_GROUP)],
        url: fields.url,
        realm: fields.short.clone(),
        owner: fields.owner,
        short: fields.short,
        clients: Vec::new(),
        skipped: Vec::new(),
        domains: Vec::new(),
        renamed,
    })
}

/// The provider's address and realm, each problem of the provider's fields added.
fn provider_fields(plan: &Plan, problems: &mut Vec<FieldProblem>) -> ProviderFields {
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
    let idp = sso.idp.unwrap_or(IdpKind::DEFAULT);
    let owner = Owner {
        id: plan.id.to_string(),
        name: plan.organisation.name.trim().to_owned(),
    };
    let org_slug = slug(&plan.organisation.name);
    let before_marks = set_up_before_marks(plan);
    let shared = shared_namespace(idp);
    let typed = sso.realm.trim();
    let short = if !typed.is_empty() {
        typed.to_owned()
    } else if !shared && (org_slug != "ferry" || before_marks) {
        // The realm an earlier Ferry named; "ferry" only where it made that one.
        org_slug.clone()
    } else {
        let max = if shared { SHARED_SHORT_MAX } else { 40 };
        short_name(&plan.organisation.name, &owner.id, max)
    };
    if slug(&short) != short || (shared && short.len() > SHARED_SHORT_MAX) {
        problems.push(FieldProblem::new("sso.realm", "realm_invalid").with_value(short.clone()));
    }
    if !sso.ca_pem.trim().is_empty()
        && let Err(key) = crate::trust::read(&sso.ca_pem)
    {
        problems.push(FieldProblem::new("sso.ca_pem", key));
    }
    ProviderFields {
        idp,
        url,
        owner,
        shared,
        // Earlier Ferry's plain names stay where it made them (their apps use them).
        legacy: shared && before_marks,
        short,
    }
}

/// The provider's own fields, read once for the sign-in and for the whole plan.
struct ProviderFields {
    idp: IdpKind,
    url: String,
    owner: Owner,
    short: String,
    /// Client ids and groups carry the short name (Authentik, Rauthy).
    shared: bool,
    legacy: bool,
}

impl ProviderFields {
    fn group(&self, local: &str) -> DesiredGroup {
        DesiredGroup {
            name: if self.shared && !self.legacy {
                format!("{}/{local}", self.short)
            } else {
                local.to_owned()
            },
            local: local.to_owned(),
            legacy: self.legacy,
        }
    }
}

/// What the plan asks for, or what must be filled in first (field + message key).
pub fn from_plan(plan: &Plan) -> Result<Desired, Vec<FieldProblem>> {
    let sso = &plan.sso;
    let mut problems = Vec::new();
    let fields = provider_fields(plan, &mut problems);
    let org_slug = slug(&plan.organisation.name);
    let group_of = |local: &str| fields.group(local);
    let (idp, shared, legacy) = (fields.idp, fields.shared, fields.legacy);
    let short = fields.short.clone();

    let mut groups = vec![group_of(MEMBERS_GROUP), group_of(BOARD_GROUP)];
    let mut clients = Vec::new();
    let mut skipped = Vec::new();
    let mut domains = Vec::new();
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
                domains.push(domain.clone());
                let base_url = format!("https://{domain}");
                let group = group_of(&format!("{APP_GROUP_PREFIX}{recipe}"));
                let kept_id = plan
                    .sso
                    .results
                    .iter()
                    .find(|r| r.recipe == recipe && legacy)
                    .map(|r| r.client_id.clone());
                let client_id = match kept_id {
                    Some(id) => id,
                    None if shared => format!("{short}-{recipe}"),
                    None => recipe.to_owned(),
                };
                clients.push(DesiredClient {
                    legacy: shared && client_id == recipe,
                    client_id,
                    name: client_name(idp, &plan.organisation.name, &short, recipe),
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
                    access_group: group.name.clone(),
                    access_enforced: enforces_access(idp),
                });
                groups.push(group);
            }
        }
    }
    let base = plan.deploy.base_domain.trim().trim_end_matches('.');
    if !base.is_empty() {
        domains.push(base.to_lowercase());
    }
    domains.sort();
    domains.dedup();
    for g in &sso.extra_groups {
        let g = g.trim();
        if g.is_empty() {
            continue;
        }
        let group = group_of(g);
        if !valid_group(g) || group.name.chars().count() > GROUP_MAX {
            problems.push(FieldProblem::new("sso.extra_groups", "group_invalid").with_value(g));
        } else if !groups.iter().any(|have| have.local == g) {
            groups.push(group);
        }
    }
    problems.dedup();
    if !problems.is_empty() {
        return Err(problems);
    }
    let renamed = organisation_renamed(idp, &plan.organisation.name, &short)
        .into_iter()
        .collect();
    Ok(Desired {
        idp,
        url: fields.url.clone(),
        realm: short.clone(),
        owner: fields.owner.clone(),
        short,
        groups,
        clients,
        skipped,
        domains,
        renamed,
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
            .filter(|g| g.local.starts_with(APP_GROUP_PREFIX))
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
        let groups: Vec<_> = d.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            groups,
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
    fn on_a_shared_provider_names_carry_the_organisation() {
        let mut plan = plan_with(&[("files", "nextcloud")]);
        plan.sso.idp = Some(IdpKind::Rauthy);
        let d = from_plan(&plan).unwrap();
        assert_eq!(d.short, "fagforeningen-ost");
        assert_eq!(d.clients[0].client_id, "fagforeningen-ost-nextcloud");
        assert_eq!(d.clients[0].access_group, "fagforeningen-ost/app-nextcloud");
        assert_eq!(d.group_name("board"), Some("fagforeningen-ost/board"));
        assert_eq!(d.domains, ["example.org", "nextcloud.example.org"]);
        // Set up by an earlier Ferry: its plain names stay.
        plan.sso.results = vec![ferry_core::model::SsoAppResult {
            recipe: "nextcloud".into(),
            client_id: "nextcloud".into(),
            works: true,
            problem: None,
        }];
        let d = from_plan(&plan).unwrap();
        assert_eq!(d.clients[0].client_id, "nextcloud");
        assert!(d.clients[0].legacy);
        assert_eq!(d.group_name("board"), Some("board"));
    }

    #[test]
    fn a_realm_from_a_name_in_another_script_is_the_organisations_own() {
        let mut plan = plan_with(&[("files", "nextcloud")]);
        plan.organisation.name = "東京ユニオン".into();
        let a = from_plan(&plan).unwrap().realm;
        plan.organisation.name = "نقابة العمال".into();
        let b = from_plan(&plan).unwrap().realm;
        assert!(a != "ferry" && b != "ferry" && a != b, "{a} {b}");
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
