//! Whose a realm and what is in it are: the realm is the organisation's namespace,
//! marked by the realm attribute `ferry.organisation`; each client Ferry makes carries
//! the same attribute, so that it can be named when its app leaves the plan; the
//! sign-in flow template (and so every app's copy) carries it in its description, and
//! each app's `access` role in its attributes.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Keycloak;
use crate::error::SsoError;
use crate::owner::{MARK_KEY, MARK_NAME_KEY, Mark, Owner, under_domains};
use crate::provider::seg;

/// Where the mark sits in a flow's description: `[ferry.organisation=<plan id>]`.
const FLOW_MARK_OPEN: &str = "[ferry.organisation=";
const FLOW_MADE_FOR: &str = "Made by Ferry for ";
/// Characters of the organisation's name kept in a flow's description (Keycloak keeps
/// 255 in all).
const FLOW_NAME_MAX: usize = 60;

impl Keycloak {
    /// The realm and client attributes that say whose they are.
    pub(super) fn mark(owner: &Owner) -> Value {
        json!({ MARK_KEY: owner.id, MARK_NAME_KEY: owner.name })
    }

    /// A role's attributes that say whose it is (a role keeps lists of values).
    pub(super) fn role_mark(owner: &Owner) -> Value {
        json!({ MARK_KEY: [owner.id], MARK_NAME_KEY: [owner.name] })
    }

    pub(super) fn judge_role(owner: &Owner, role: &Value) -> Mark {
        let first = |k: &str| role["attributes"][k][0].as_str();
        owner.judge(first(MARK_KEY), first(MARK_NAME_KEY))
    }

    /// The sign-in flow template's description (every app's flow is a copy and keeps
    /// it): what it is, and whose.
    pub(super) fn flow_description(owner: &Owner) -> String {
        let name: String = owner.name.chars().take(FLOW_NAME_MAX).collect();
        format!(
            "{FLOW_MADE_FOR}{name} {FLOW_MARK_OPEN}{}]. Each app's flow is a copy: the usual sign-in, then only holders of the app's role.",
            owner.id
        )
    }

    /// Whose a flow's description says it is.
    pub(super) fn flow_mark(owner: &Owner, description: &str) -> Mark {
        let Some((before, after)) = description.split_once(FLOW_MARK_OPEN) else {
            return Mark::None;
        };
        let id = after.split_once(']').map(|(id, _)| id);
        let name = before.strip_prefix(FLOW_MADE_FOR).map(str::trim_end);
        owner.judge(id, name)
    }

    /// The plan id a client's mark names, if it has one.
    pub(super) fn client_mark(c: &Value) -> Option<&str> {
        c["attributes"][MARK_KEY]
            .as_str()
            .map(str::trim)
            .filter(|id| !id.is_empty())
    }

    /// Whether a client of the organisation's realm is one Ferry makes: marked for the
    /// organisation, or (from before marks) named after an app Ferry knows.
    pub(super) fn made_by_ferry(c: &Value, owner: &Owner) -> bool {
        match Self::client_mark(c) {
            Some(id) => id == owner.id,
            None => c["clientId"]
                .as_str()
                .is_some_and(|id| crate::apps::for_recipe(id).is_some()),
        }
    }

    /// Whether an unmarked realm was made by an earlier Ferry for this organisation:
    /// one of its clients returns only to the organisation's addresses.
    pub(super) fn made_for(clients: &[Value], domains: &[String]) -> bool {
        clients.iter().any(|c| {
            let uris = c["redirectUris"].as_array().into_iter().flatten();
            under_domains(uris.filter_map(Value::as_str), domains)
        })
    }

    pub(super) async fn adopt_realm(&self, owner: &Owner) -> Result<(), SsoError> {
        let action = "mark the realm as the organisation's";
        let realm: Value = self.get_json(action, &self.realm_path("")).await?;
        let mut attributes = realm["attributes"].clone();
        if !attributes.is_object() {
            attributes = json!({});
        }
        attributes[MARK_KEY] = json!(owner.id);
        attributes[MARK_NAME_KEY] = json!(owner.name);
        let body = json!({ "attributes": attributes });
        let resp = self
            .call(action, Method::PUT, &self.realm_path(""), Some(&body))
            .await?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() && s != StatusCode::NOT_FOUND => {
                Err(self.http.refusal(resp, action).await.error)
            }
            s => Err(self.http.unexpected(s, action)),
        }
    }

    /// Deletes a client, only when it carries this organisation's mark.
    pub(super) async fn remove_client(
        &self,
        client_id: &str,
        owner: &Owner,
    ) -> Result<(), SsoError> {
        let action = format!("remove the client {client_id}");
        let Some(c) = self.find_client(client_id).await? else {
            return Ok(());
        };
        if !Self::made_by_ferry(&c, owner) {
            return Err(SsoError::Conflict {
                idp: self.http.name(),
                what: format!("a client {client_id} that is not this organisation's"),
            });
        }
        let uuid = c["id"].as_str().unwrap_or_default();
        let path = self.realm_path(&format!("/clients/{}", seg(uuid)));
        let resp = self.call(&action, Method::DELETE, &path, None).await?;
        match resp.status() {
            s if s.is_success() || s == StatusCode::NOT_FOUND => {}
            s => return Err(self.http.unexpected(s, &action)),
        }
        // Its role went with it; its sign-in flow goes after it.
        self.remove_app_flow(client_id, owner).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flows_description_says_whose_it_is() {
        let me = Owner {
            id: "3f9a2c1d-0000-4000-8000-000000000001".into(),
            name: "Lag Øst [nord]".into(),
        };
        let text = Keycloak::flow_description(&me);
        assert_eq!(Keycloak::flow_mark(&me, &text), Mark::Ours);
        assert!(text.chars().count() < 255, "{text}");
        let other = Owner {
            id: "other".into(),
            name: "x".repeat(300),
        };
        let theirs = Keycloak::flow_description(&other);
        assert!(theirs.chars().count() <= 255, "{theirs}");
        assert_eq!(
            Keycloak::flow_mark(&me, &theirs),
            Mark::Other {
                name: "x".repeat(FLOW_NAME_MAX)
            }
        );
        // What the Ferry before marks wrote.
        let earlier = "Made by Ferry: each app's flow is a copy. Signs in as the browser flow does, then lets in only holders of the app's role.";
        assert_eq!(Keycloak::flow_mark(&me, earlier), Mark::None);
        let role = json!({"attributes": Keycloak::role_mark(&other)});
        assert!(matches!(
            Keycloak::judge_role(&me, &role),
            Mark::Other { .. }
        ));
        assert_eq!(Keycloak::judge_role(&other, &role), Mark::Ours);
        assert_eq!(Keycloak::judge_role(&me, &json!({})), Mark::None);
    }
}
