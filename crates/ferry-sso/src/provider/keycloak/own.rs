//! Whose a realm and its clients are: the realm is the organisation's namespace,
//! marked by the realm attribute `ferry.organisation`; each client Ferry makes carries
//! the same attribute, so that it can be named when its app leaves the plan.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Keycloak;
use crate::error::SsoError;
use crate::owner::{MARK_KEY, MARK_NAME_KEY, Owner, under_domains};
use crate::provider::seg;

impl Keycloak {
    /// The realm, client and group attributes that say whose they are.
    pub(super) fn mark(owner: &Owner) -> Value {
        json!({ MARK_KEY: owner.id, MARK_NAME_KEY: owner.name })
    }

    /// Whether a client of the organisation's realm is one Ferry makes: marked for the
    /// organisation, or (from before marks) named after an app Ferry knows.
    pub(super) fn made_by_ferry(c: &Value, owner: &Owner) -> bool {
        match c["attributes"][MARK_KEY].as_str() {
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
            s if s.is_success() || s == StatusCode::NOT_FOUND => Ok(()),
            s => Err(self.http.unexpected(s, &action)),
        }
    }
}
