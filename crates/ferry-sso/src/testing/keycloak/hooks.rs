//! The Keycloak contract server's test hooks: what an administrator (or a stranger)
//! does by hand, and what a member's browser does, for the conformance scenarios.

use serde_json::{Value, json};

use super::{Keycloak, uuid};
use crate::testing::random_secret;

impl Keycloak {
    pub(super) fn hook(&mut self, action: &str, args: &Value) -> Value {
        let id = args["client_id"].as_str().unwrap_or_default().to_owned();
        match action {
            "rotate_secret" => {
                let fresh = random_secret(32);
                if let Some(c) = self.realm_with_client(&id) {
                    c["secret"] = json!(fresh);
                }
                json!(fresh)
            }
            "edit_client" | "disable" => {
                let Some(c) = self.realm_with_client(&id) else {
                    return Value::Null;
                };
                if action == "disable" {
                    c["enabled"] = json!(false);
                }
                for (k, v) in args["set"].as_object().into_iter().flatten() {
                    c[k] = v.clone();
                }
                c.clone()
            }
            // In the realm an administrator made by hand (before Ferry came, as on
            // the real one), or in every realm there is.
            "add_groups" => {
                let count = args["count"].as_u64().unwrap_or(0);
                if let Some(realm) = args["realm"].as_str() {
                    self.realms.entry(realm.to_owned()).or_default();
                }
                for r in self.realms.values_mut() {
                    for n in 0..count {
                        let name = format!("extra-{n:04}");
                        r.groups.push(json!({"id": uuid(), "name": name, "path": format!("/{name}"), "subGroups": []}));
                    }
                }
                json!(count)
            }
            // Keycloak keeps addresses in lowercase, whatever was typed.
            "add_user" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let username = args["username"]
                    .as_str()
                    .map_or(email.clone(), str::to_lowercase);
                let only = args["realm"].as_str();
                for (name, r) in self.realms.iter_mut() {
                    if only.is_some_and(|o| o != name) {
                        continue;
                    }
                    r.users.push(json!({
                        "id": uuid(), "username": username, "email": email, "enabled": true,
                    }));
                }
                json!(email)
            }
            // Every user of the realm, unless the client's own browser flow denies them.
            "can_sign_in" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let realm = args["realm"].as_str().unwrap_or_default();
                let allowed = self.realms.get(realm).and_then(|r| {
                    let client = r.clients.iter().find(|c| c["clientId"] == id.as_str())?;
                    let user = r.users.iter().find(|u| u["email"] == email.as_str())?;
                    let uid = user["id"].as_str().unwrap_or_default();
                    let groups = r.memberships.get(uid).cloned().unwrap_or_default();
                    Some(r.access.allows(client, &groups))
                });
                json!(allowed == Some(true))
            }
            // What a Ferry from before marks left: the realm's, the clients', the
            // sign-in flows' and the access roles' marks gone.
            "strip_marks" => {
                for r in self.realms.values_mut() {
                    r.attributes = json!({});
                    for c in &mut r.clients {
                        if let Some(a) = c["attributes"].as_object_mut() {
                            a.remove(crate::owner::MARK_KEY);
                        }
                    }
                    r.access.strip_marks();
                }
                Value::Null
            }
            "mailbox" => {
                let to = args["email"].as_str().unwrap_or_default().to_lowercase();
                json!(
                    self.mails
                        .iter()
                        .rev()
                        .find(|(a, _)| *a == to)
                        .map(|(_, l)| l)
                )
            }
            "follow_link" => {
                let url = args["url"].as_str().unwrap_or_default();
                let Some(at) = self.mails.iter().position(|(_, l)| l == url) else {
                    return json!(false);
                };
                let (to, _) = self.mails.remove(at);
                self.passwords.retain(|(a, _)| *a != to);
                self.passwords
                    .push((to, args["password"].as_str().unwrap_or_default().to_owned()));
                json!(true)
            }
            "sign_in_code" => {
                let email = args["email"].as_str().unwrap_or_default().to_lowercase();
                let password = args["password"].as_str().unwrap_or_default();
                json!(
                    self.passwords
                        .iter()
                        .any(|(a, p)| *a == email && p == password)
                )
            }
            // A realm's top-level flow, made or removed by hand, and read back.
            "flow" | "make_flow" | "remove_flow" => {
                let realm = args["realm"].as_str().unwrap_or_default();
                let alias = args["alias"].as_str().unwrap_or_default();
                let Some(r) = self.realms.get_mut(realm) else {
                    return Value::Null;
                };
                match action {
                    "flow" => r.access.top_flow(alias),
                    "make_flow" => {
                        let description = args["description"].as_str().unwrap_or_default();
                        let top = args["top"].as_bool().unwrap_or(true);
                        r.access.make_flow(alias, description, top);
                        Value::Null
                    }
                    _ => {
                        r.access.remove_top_flow(alias);
                        Value::Null
                    }
                }
            }
            _ => Value::Null,
        }
    }
}
