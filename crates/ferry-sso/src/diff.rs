//! What is on the provider, what should be, and the changes between them. Ferry
//! never deletes: clients and groups it did not ask for are listed and left alone.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::{ClientSettings, Desired, DesiredClient};

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
    pub groups: Vec<String>,
    /// Only the clients Ferry asked about (by client id).
    pub clients: Vec<CurrentClient>,
}

/// One write the apply will make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    CreateRealm {
        realm: String,
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
}

impl Change {
    /// What the change is about, for progress and results.
    pub fn subject(&self) -> &str {
        match self {
            Change::CreateRealm { realm } => realm,
            Change::CreateGroup { name } => name,
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                &client.client_id
            }
        }
    }
}

/// The changes that bring `current` to `desired`: realm first, then groups, then clients.
pub fn diff(desired: &Desired, current: &Current) -> Vec<Change> {
    let mut out = Vec::new();
    if !current.realm_exists {
        out.push(Change::CreateRealm {
            realm: desired.realm.clone(),
        });
    }
    for g in &desired.groups {
        if !current.groups.iter().any(|have| have == g) {
            out.push(Change::CreateGroup { name: g.clone() });
        }
    }
    for want in &desired.clients {
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
            groups: vec!["members".into(), "board".into()],
            clients: vec![client("a", "https://a/cb"), client("b", "https://b/cb")],
            skipped: vec![],
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
