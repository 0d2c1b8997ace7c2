//! What is on the provider, what should be, and the changes between them. Ferry
//! deletes only when asked, and only a client this organisation's Ferry made for an
//! app no longer planned; everything else it did not ask for is left alone.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::{ClientSettings, Desired, DesiredClient};
use crate::owner::{Conflict, ObjectKind, Orphan};

/// One client as the provider has it, in Ferry's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CurrentClient {
    pub client_id: String,
    pub settings: ClientSettings,
    /// Provider-specific parts still missing (e.g. Authentik's application, Rauthy's
    /// RS256 signing), named for the plan shown to the user.
    pub incomplete: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Current {
    /// Keycloak: the realm exists. Always true for the others.
    pub realm_exists: bool,
    /// The organisation's groups that are there (marked for it, or to be adopted).
    pub groups: Vec<String>,
    /// Only the organisation's clients Ferry asked about (by client id).
    pub clients: Vec<CurrentClient>,
    /// Objects from before marks, recognised as the organisation's: apply marks them.
    pub adopt: Vec<(ObjectKind, String)>,
    /// Objects with Ferry's names that are not this organisation's: left alone.
    pub conflicts: Vec<Conflict>,
    /// Clients this organisation's Ferry made for apps no longer in the plan.
    pub orphans: Vec<Orphan>,
    /// Authentik: whether the brand has a recovery flow (first sign-in links);
    /// None where the provider invites by e-mail.
    pub recovery_flow: Option<bool>,
}

/// One write the apply will make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    CreateRealm {
        realm: String,
    },
    /// Marks an object an earlier Ferry made for this organisation as its own.
    Adopt {
        what: ObjectKind,
        name: String,
    },
    CreateGroup {
        name: String,
    },
    CreateClient {
        client: DesiredClient,
    },
    /// `fields` names what differs: redirect_uris, post_logout_redirect_uris, pkce,
    /// groups_claim, or a missing provider-specific part.
    UpdateClient {
        client: DesiredClient,
        fields: Vec<String>,
    },
    /// Deletes a client this organisation's Ferry made for an app no longer in the
    /// plan (only when asked for).
    RemoveClient {
        client_id: String,
    },
    /// Authentik: a recovery flow from its own password stages on the brand, so that
    /// members get a link to set their password (only when asked for).
    SetUpRecovery,
}

impl Change {
    /// What the change is about, for progress and results.
    pub fn subject(&self) -> &str {
        match self {
            Change::CreateRealm { realm } => realm,
            Change::Adopt { name, .. } | Change::CreateGroup { name } => name,
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                &client.client_id
            }
            Change::RemoveClient { client_id } => client_id,
            Change::SetUpRecovery => "recovery",
        }
    }
}

/// What a person asked for beyond bringing the provider in line with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Extras {
    /// Remove the clients this organisation's Ferry made for apps no longer planned.
    pub remove_orphans: bool,
    /// Set up a recovery flow where the provider has none (Authentik).
    pub set_up_recovery: bool,
}

/// What the preview shows: the changes, and what Ferry will not do or not yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "SsoPlan")]
pub struct Preview {
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
    pub orphans: Vec<Orphan>,
    /// Authentik without a recovery flow: members get no link until one is set up.
    pub recovery_missing: bool,
    pub renamed: Vec<crate::names::Renamed>,
}

impl Preview {
    pub fn new(desired: &Desired, current: &Current, extras: Extras) -> Preview {
        Preview {
            changes: diff_with(desired, current, extras),
            conflicts: current.conflicts.clone(),
            orphans: current.orphans.clone(),
            recovery_missing: current.recovery_flow == Some(false),
            renamed: desired.renamed.clone(),
        }
    }
}

/// The changes that bring `current` to `desired`: realm first, then groups, then clients.
pub fn diff(desired: &Desired, current: &Current) -> Vec<Change> {
    diff_with(desired, current, Extras::default())
}

/// [`diff`] and what was asked for besides.
pub fn diff_with(desired: &Desired, current: &Current, extras: Extras) -> Vec<Change> {
    let mut out = Vec::new();
    let conflicted = |what: ObjectKind, name: &str| {
        current
            .conflicts
            .iter()
            .any(|c| c.what == what && c.name == name)
    };
    if conflicted(ObjectKind::Realm, &desired.realm) {
        // Nothing of the organisation's can go into another's realm.
        return out;
    }
    if !current.realm_exists {
        out.push(Change::CreateRealm {
            realm: desired.realm.clone(),
        });
    }
    for (what, name) in &current.adopt {
        out.push(Change::Adopt {
            what: *what,
            name: name.clone(),
        });
    }
    for g in &desired.groups {
        if !current.groups.contains(&g.name) && !conflicted(ObjectKind::Group, &g.name) {
            out.push(Change::CreateGroup {
                name: g.name.clone(),
            });
        }
    }
    for want in &desired.clients {
        if current.conflicts.iter().any(|c| c.blocks(&want.client_id)) {
            continue;
        }
        match current
            .clients
            .iter()
            .find(|c| c.client_id == want.client_id)
        {
            None => out.push(Change::CreateClient {
                client: want.clone(),
            }),
            Some(have) => {
                let fields = differences(&want.settings, have);
                if !fields.is_empty() {
                    out.push(Change::UpdateClient {
                        client: want.clone(),
                        fields,
                    });
                }
            }
        }
    }
    if extras.remove_orphans {
        out.extend(current.orphans.iter().map(|o| Change::RemoveClient {
            client_id: o.client_id.clone(),
        }));
    }
    if extras.set_up_recovery && current.recovery_flow == Some(false) {
        out.push(Change::SetUpRecovery);
    }
    out
}

fn differences(want: &ClientSettings, have: &CurrentClient) -> Vec<String> {
    let h = &have.settings;
    let mut out = Vec::new();
    if !want.redirect_uris.is_subset(&h.redirect_uris) {
        out.push("redirect_uris".to_owned());
    }
    if !want
        .post_logout_redirect_uris
        .is_subset(&h.post_logout_redirect_uris)
    {
        out.push("post_logout_redirect_uris".to_owned());
    }
    // A provider without a PKCE setting reports None and is not compared.
    if h.pkce.is_some() && want.pkce != h.pkce {
        out.push("pkce".to_owned());
    }
    if want.groups_claim && !h.groups_claim {
        out.push("groups_claim".to_owned());
    }
    out.extend(have.incomplete.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desired::DesiredClient;
    use ferry_core::model::IdpKind;
    use std::collections::BTreeSet;

    fn client(id: &str, redirect: &str) -> DesiredClient {
        DesiredClient {
            legacy: false,
            client_id: id.into(),
            name: id.into(),
            recipe: id.into(),
            need: "files".into(),
            base_url: format!("https://{id}.example.org/"),
            settings: ClientSettings {
                redirect_uris: BTreeSet::from([redirect.to_owned()]),
                post_logout_redirect_uris: BTreeSet::new(),
                pkce: Some(true),
                groups_claim: true,
            },
            access_group: format!("app-{id}"),
            access_enforced: true,
        }
    }

    fn desired() -> Desired {
        Desired {
            idp: IdpKind::Keycloak,
            url: "https://login.example.org".into(),
            realm: "org".into(),
            owner: Default::default(),
            short: "org".into(),
            groups: ["members", "board"]
                .map(|g| crate::desired::DesiredGroup {
                    name: g.into(),
                    local: g.into(),
                    legacy: false,
                })
                .into(),
            clients: vec![client("a", "https://a/cb"), client("b", "https://b/cb")],
            skipped: vec![],
            domains: vec![],
            renamed: vec![],
        }
    }

    #[test]
    fn nothing_there_means_everything_is_created_in_order() {
        let changes = diff(&desired(), &Current::default());
        let kinds: Vec<_> = changes.iter().map(|c| c.subject().to_owned()).collect();
        assert_eq!(kinds, ["org", "members", "board", "a", "b"]);
    }

    #[test]
    fn matching_state_needs_no_change_and_extra_redirects_are_kept() {
        let d = desired();
        let mut current = Current {
            realm_exists: true,
            groups: vec!["members".into(), "board".into(), "theirs".into()],
            clients: d
                .clients
                .iter()
                .map(|c| CurrentClient {
                    client_id: c.client_id.clone(),
                    settings: c.settings.clone(),
                    incomplete: vec![],
                })
                .collect(),
            ..Current::default()
        };
        current.clients[0]
            .settings
            .redirect_uris
            .insert("https://a/other".into());
        assert_eq!(diff(&d, &current), vec![]);

        current.clients[1].settings.pkce = Some(false);
        current.clients[1].incomplete = vec!["signing".into()];
        let changes = diff(&d, &current);
        assert_eq!(changes.len(), 1);
        match &changes[0] {
            Change::UpdateClient { client, fields } => {
                assert_eq!(client.client_id, "b");
                assert_eq!(fields, &["pkce", "signing"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
