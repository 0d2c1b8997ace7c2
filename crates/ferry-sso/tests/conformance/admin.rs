//! What a provider's administrator (or a stranger) does outside Ferry, for the
//! conformance scenarios: on a contract server through its test hooks, on a real
//! server through its own admin API (`real.rs`).

use ferry_core::model::IdpKind;
use ferry_sso::testing::FakeIdp;
use serde_json::{Value, json};

use super::Target;

// One admin per test target, held in an Arc: the size of the real one costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Admin {
    Fake(FakeIdp),
    Real(super::real::RealAdmin),
}

/// The return address an administrator added by hand to a client.
pub fn hand_redirect(t: &Target, client_id: &str) -> String {
    let base = t
        .desired()
        .clients
        .into_iter()
        .find(|c| c.client_id == client_id)
        .map(|c| c.base_url)
        .unwrap_or_default();
    format!("{base}added-by-hand")
}

impl Admin {
    fn fake(&self) -> Option<&FakeIdp> {
        match self {
            Admin::Fake(f) => Some(f),
            Admin::Real(_) => None,
        }
    }

    pub async fn rotate_secret(&self, t: &Target, client_id: &str) -> Result<String, String> {
        match self {
            Admin::Fake(f) => Ok(f
                .act("rotate_secret", json!({"client_id": client_id}))
                .as_str()
                .unwrap_or_default()
                .to_owned()),
            Admin::Real(r) => r.rotate_secret(t, client_id).await,
        }
    }

    /// Renames the client, changes a setting Ferry does not plan, and replaces its
    /// return addresses with one of the administrator's own.
    pub async fn hand_edit(&self, t: &Target, client_id: &str) -> Result<(), String> {
        let mine = hand_redirect(t, client_id);
        let Some(f) = self.fake() else {
            return self.real().hand_edit(t, client_id, &mine).await;
        };
        let set = match t.kind {
            IdpKind::Authentik => {
                let p = fake_client(f, t.kind, client_id);
                let mut mappings = p["property_mappings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                mappings.push(json!("admin-extra-mapping"));
                json!({
                    "name": "Named by hand",
                    "sub_mode": "user_email",
                    "property_mappings": mappings,
                    "redirect_uris": [{"matching_mode": "strict", "url": mine}],
                })
            }
            IdpKind::Rauthy => json!({
                "name": "Named by hand",
                "access_token_lifetime": 600,
                "redirect_uris": [mine],
            }),
            IdpKind::Keycloak => json!({
                "name": "Named by hand",
                "webOrigins": ["https://elsewhere.example"],
                "redirectUris": [mine],
            }),
        };
        f.act("edit_client", json!({"client_id": client_id, "set": set}));
        Ok(())
    }

    pub async fn hand_edits_still_there(&self, t: &Target, client_id: &str) -> Result<(), String> {
        let mine = hand_redirect(t, client_id);
        let Some(f) = self.fake() else {
            return self
                .real()
                .hand_edits_still_there(t, client_id, &mine)
                .await;
        };
        let c = fake_client(f, t.kind, client_id);
        let text = c.to_string();
        let mut lost = Vec::new();
        if !text.contains("Named by hand") {
            lost.push("name");
        }
        if !text.contains(&mine) {
            lost.push("hand-made return address");
        }
        match t.kind {
            IdpKind::Authentik => {
                if c["sub_mode"] != "user_email" {
                    lost.push("sub_mode");
                }
                if !text.contains("admin-extra-mapping") {
                    lost.push("extra scope mapping");
                }
            }
            IdpKind::Rauthy => {
                if c["access_token_lifetime"] != 600 {
                    lost.push("access_token_lifetime");
                }
            }
            IdpKind::Keycloak => {
                if !text.contains("elsewhere.example") {
                    lost.push("webOrigins");
                }
            }
        }
        if lost.is_empty() {
            Ok(())
        } else {
            Err(format!("lost what the admin set: {}", lost.join(", ")))
        }
    }

    pub async fn add_groups(&self, t: &Target, count: u64) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                // Keycloak's groups live in a realm: one an administrator made first.
                f.act(
                    "add_groups",
                    json!({"count": count, "realm": t.desired().realm}),
                );
                Ok(())
            }
            Admin::Real(r) => r.add_groups(t, count).await,
        }
    }

    pub async fn add_foreign_app(&self, t: &Target, slug: &str) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                f.act("add_app", json!({"slug": slug}));
                Ok(())
            }
            Admin::Real(r) => r.add_foreign_app(t, slug).await,
        }
    }

    /// Whether a client with this client id exists.
    pub async fn has_client(&self, t: &Target, client_id: &str) -> Result<bool, String> {
        match self {
            // Keycloak: in this organisation's realm (another's may have the same id).
            Admin::Fake(f) if t.kind == IdpKind::Keycloak => Ok(f.snapshot()["realms"]
                [t.desired().realm.as_str()]["clients"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["clientId"] == client_id))),
            Admin::Fake(f) => Ok(f.client_ids().iter().any(|c| c == client_id)),
            Admin::Real(r) => r.has_client(t, client_id).await,
        }
    }

    pub async fn add_user(&self, t: &Target, email: &str, name: &str) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                f.act(
                    "add_user",
                    json!({"email": email, "name": name, "groups": ["members"]}),
                );
                Ok(())
            }
            Admin::Real(r) => r.add_user(t, email, name).await,
        }
    }

    /// How many users have this address, whatever its case.
    pub async fn users_with_email(&self, t: &Target, email: &str) -> Result<usize, String> {
        match self {
            Admin::Fake(f) => Ok(f.snapshot()["users"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(
                    // Keycloak keeps its users per realm.
                    f.snapshot()["realms"]
                        .as_object()
                        .into_iter()
                        .flat_map(|r| r.values())
                        .flat_map(|r| r["users"].as_array().cloned().unwrap_or_default())
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .filter(|u| {
                    u["email"]
                        .as_str()
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
                })
                .count()),
            Admin::Real(r) => r.users_with_email(t, email).await,
        }
    }

    pub async fn can_sign_in(
        &self,
        t: &Target,
        email: &str,
        client_id: &str,
    ) -> Result<bool, String> {
        match self {
            Admin::Fake(f) => Ok(f.act(
                "can_sign_in",
                json!({"email": email, "client_id": client_id, "realm": t.desired().realm}),
            ) == true),
            Admin::Real(r) => r.can_sign_in(t, email, client_id).await,
        }
    }

    pub async fn add_redirect(&self, t: &Target, client_id: &str, url: &str) -> Result<(), String> {
        let Some(f) = self.fake() else {
            return self.real().add_redirect(t, client_id, url).await;
        };
        let c = fake_client(f, t.kind, client_id);
        let set = match t.kind {
            IdpKind::Authentik => {
                let mut list = c["redirect_uris"].as_array().cloned().unwrap_or_default();
                list.push(json!({"matching_mode": "strict", "url": url}));
                json!({"redirect_uris": list})
            }
            IdpKind::Rauthy => {
                let mut list = c["redirect_uris"].as_array().cloned().unwrap_or_default();
                list.push(json!(url));
                json!({"redirect_uris": list})
            }
            IdpKind::Keycloak => {
                let mut list = c["redirectUris"].as_array().cloned().unwrap_or_default();
                list.push(json!(url));
                json!({"redirectUris": list})
            }
        };
        f.act("edit_client", json!({"client_id": client_id, "set": set}));
        Ok(())
    }

    /// Switches the client off; false where the provider has no such switch.
    pub async fn disable(&self, t: &Target, client_id: &str) -> Result<bool, String> {
        match self {
            Admin::Fake(f) => Ok(t.kind != IdpKind::Authentik
                && !f.act("disable", json!({"client_id": client_id})).is_null()),
            Admin::Real(r) => r.disable(t, client_id).await,
        }
    }

    /// Takes the organisation's marks off everything Ferry made, as an earlier Ferry
    /// left it.
    pub async fn strip_marks(&self, t: &Target) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                f.act("strip_marks", json!({}));
                Ok(())
            }
            Admin::Real(r) => r.strip_marks(t).await,
        }
    }

    /// Gives the organisation a mail server where the provider keeps one per realm
    /// (the real Keycloak; its contract server has one from the start).
    pub async fn mail_server(&self, t: &Target) -> Result<(), String> {
        match self {
            Admin::Fake(_) => Ok(()),
            Admin::Real(r) => r.mail_server(t).await,
        }
    }

    /// The link in the last e-mail the provider sent to `email`.
    pub async fn mailbox_link(&self, t: &Target, email: &str) -> Result<Option<String>, String> {
        match self {
            Admin::Fake(f) => Ok(f
                .act("mailbox", json!({"email": email}))
                .as_str()
                .map(str::to_owned)),
            Admin::Real(r) => r.mailbox_link(t, email).await,
        }
    }

    /// Follows a first sign-in link as the member would and sets `password`.
    pub async fn follow_link(
        &self,
        t: &Target,
        url: &str,
        email: &str,
        password: &str,
    ) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                if f.act("follow_link", json!({"url": url, "password": password})) == true {
                    Ok(())
                } else {
                    Err(format!("the link {url} did not work"))
                }
            }
            Admin::Real(r) => r.follow_link(t, url, email, password).await,
        }
    }

    /// Signs in as the member to the app's client: code with PKCE, then the token.
    pub async fn sign_in_code(
        &self,
        t: &Target,
        email: &str,
        password: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<bool, String> {
        match self {
            Admin::Fake(f) => Ok(f.act(
                "sign_in_code",
                json!({"email": email, "password": password, "client_id": client_id,
                       "realm": t.desired().realm}),
            ) == true),
            Admin::Real(r) => r.sign_in_code(t, email, password, client_id, secret).await,
        }
    }

    /// The client's name on the provider.
    pub async fn client_name(&self, t: &Target, client_id: &str) -> Result<String, String> {
        match self {
            Admin::Fake(f) => Ok(fake_client(f, t.kind, client_id)["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned()),
            Admin::Real(r) => r.client_name(t, client_id).await,
        }
    }

    /// A user named `username` with another address; false where users have no name
    /// apart from their address (Rauthy).
    pub async fn add_user_named(
        &self,
        t: &Target,
        username: &str,
        email: &str,
    ) -> Result<bool, String> {
        if t.kind == IdpKind::Rauthy {
            return Ok(false);
        }
        match self {
            Admin::Fake(f) => {
                f.act(
                    "add_user",
                    json!({"username": username, "email": email, "name": "Someone Else",
                           "realm": t.desired().realm}),
                );
                Ok(true)
            }
            Admin::Real(r) => r.add_user_named(t, username, email).await.map(|()| true),
        }
    }

    /// Keycloak: the description of the realm's top-level flow `alias`, if there is one.
    pub async fn flow_description(
        &self,
        t: &Target,
        alias: &str,
    ) -> Result<Option<String>, String> {
        match self {
            Admin::Fake(f) => Ok(f
                .act("flow", json!({"realm": t.desired().realm, "alias": alias}))["description"]
                .as_str()
                .map(str::to_owned)),
            Admin::Real(r) => r.kc_flow_description(t, alias).await,
        }
    }

    /// Keycloak: a top-level flow with no steps, as an administrator makes it by hand.
    pub async fn make_flow(
        &self,
        t: &Target,
        alias: &str,
        description: &str,
    ) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                let args =
                    json!({"realm": t.desired().realm, "alias": alias, "description": description});
                f.act("make_flow", args);
                Ok(())
            }
            Admin::Real(r) => r.kc_make_flow(t, alias, description).await,
        }
    }

    /// Keycloak: a sub-flow no flow holds, as an earlier Ferry left one when it was
    /// stopped between making a sub-flow of its template and putting it in place.
    pub async fn make_loose_sub_flow(&self, t: &Target, alias: &str) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                let args = json!({"realm": t.desired().realm, "alias": alias, "top": false});
                f.act("make_flow", args);
                Ok(())
            }
            Admin::Real(r) => r.kc_make_flow_at(t, alias, "", false).await,
        }
    }

    /// Keycloak: deletes the top-level flow `alias` and what is in it.
    pub async fn remove_flow(&self, t: &Target, alias: &str) -> Result<(), String> {
        match self {
            Admin::Fake(f) => {
                f.act(
                    "remove_flow",
                    json!({"realm": t.desired().realm, "alias": alias}),
                );
                Ok(())
            }
            Admin::Real(r) => r.kc_remove_flow(t, alias).await,
        }
    }

    fn real(&self) -> &super::real::RealAdmin {
        match self {
            Admin::Real(r) => r,
            Admin::Fake(_) => unreachable!("called only for a real provider"),
        }
    }
}

/// The client as the contract server holds it.
fn fake_client(f: &FakeIdp, kind: IdpKind, client_id: &str) -> Value {
    let s = f.snapshot();
    let list: Vec<Value> = match kind {
        IdpKind::Authentik => s["providers"].as_array().cloned().unwrap_or_default(),
        IdpKind::Rauthy => s["client_settings"].as_array().cloned().unwrap_or_default(),
        IdpKind::Keycloak => s["realms"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.values())
            .flat_map(|r| r["clients"].as_array().cloned().unwrap_or_default())
            .collect(),
    };
    list.into_iter()
        .find(|c| c["client_id"] == client_id || c["id"] == client_id || c["clientId"] == client_id)
        .unwrap_or(Value::Null)
}
