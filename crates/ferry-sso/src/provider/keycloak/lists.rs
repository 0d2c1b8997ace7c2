//! Reading Keycloak's lists: every group and client of the realm, a page at a time,
//! and one client or group by its name.

use serde_json::Value;

use super::{Keycloak, Named, PAGE};
use crate::error::SsoError;
use crate::provider::seg;

impl Keycloak {
    pub(super) async fn find_client(&self, client_id: &str) -> Result<Option<Value>, SsoError> {
        let list: Vec<Value> = self
            .get_json(
                "read the clients",
                &self.realm_path(&format!("/clients?clientId={}", seg(client_id))),
            )
            .await?;
        Ok(list
            .into_iter()
            .find(|c| c["clientId"].as_str() == Some(client_id)))
    }

    pub(super) async fn client_uuid(&self, client_id: &str) -> Result<String, SsoError> {
        self.find_client(client_id)
            .await?
            .and_then(|c| c["id"].as_str().map(str::to_owned))
            .ok_or_else(|| SsoError::Missing {
                idp: self.http.name(),
                what: format!("client {client_id}"),
                hint: "apply the plan again to create it",
            })
    }

    /// Every top-level group, a page at a time (Keycloak answers at most `max`).
    pub(super) async fn all_groups(&self) -> Result<Vec<Named>, SsoError> {
        let mut out = Vec::new();
        loop {
            let page: Vec<Named> = self
                .get_json(
                    "read the groups",
                    &self.realm_path(&format!(
                        "/groups?first={}&max={PAGE}&briefRepresentation=true",
                        out.len()
                    )),
                )
                .await?;
            let last = page.len() < PAGE;
            out.extend(page);
            if last {
                return Ok(out);
            }
        }
    }

    /// Every client of the realm, a page at a time.
    pub(super) async fn all_clients(&self) -> Result<Vec<Value>, SsoError> {
        let mut out = Vec::new();
        loop {
            let page: Vec<Value> = self
                .get_json(
                    "read the clients",
                    &self.realm_path(&format!("/clients?first={}&max={PAGE}", out.len())),
                )
                .await?;
            let last = page.len() < PAGE;
            out.extend(page);
            if last {
                return Ok(out);
            }
        }
    }

    pub(super) async fn group_id(&self, name: &str) -> Result<Option<String>, SsoError> {
        let list: Vec<Named> = self
            .get_json(
                "read the groups",
                &self.realm_path(&format!("/groups?search={}&exact=true", seg(name))),
            )
            .await?;
        Ok(list.into_iter().find(|g| g.name == name).map(|g| g.id))
    }
}
