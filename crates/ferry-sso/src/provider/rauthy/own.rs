//! Whose Rauthy's clients and groups are. Rauthy 0.35 keeps no free field on a client
//! but its `contacts` (strings of `[a-zA-Z0-9+.@/:-]{0,48}`, shown as they are in its
//! admin screens), so the mark is the contact `ferry-org:<plan id>`; a group keeps a
//! JSON `meta`, where the mark is `ferry.organisation` (and the organisation's name).

use reqwest::Method;
use serde_json::{Value, json};

use super::{Rauthy, UPDATE_FIELDS};
use crate::desired::Desired;
use crate::diff::Current;
use crate::error::SsoError;
use crate::owner::{
    Conflict, MARK_KEY, MARK_NAME_KEY, Mark, ObjectKind, Orphan, Owner, under_domains,
};
use crate::provider::seg;

/// A group as Rauthy lists it.
pub(super) struct Group {
    pub id: String,
    pub name: String,
    pub meta: Value,
}

fn contacts(c: &Value) -> Vec<&str> {
    c["contacts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The group meta with the organisation's mark, keeping what else it holds.
pub(super) fn marked_meta(meta: &Value, owner: &Owner) -> Value {
    let mut out = if meta.is_object() {
        meta.clone()
    } else {
        json!({})
    };
    out[MARK_KEY] = json!(owner.id);
    out[MARK_NAME_KEY] = json!(owner.name);
    out
}

/// The client's contacts with the organisation's mark added (others kept).
pub(super) fn marked_contacts(existing: &Value, owner: &Owner) -> Value {
    let mut all: Vec<String> = contacts(existing).into_iter().map(str::to_owned).collect();
    let mark = owner.contact();
    if !all.contains(&mark) {
        all.push(mark);
    }
    json!(all)
}

impl Rauthy {
    /// Sorts what Rauthy has into the organisation's own (or to adopt), other
    /// organisations' (conflicts) and clients left from apps no longer planned.
    pub(super) fn judge(
        desired: &Desired,
        groups: &[Group],
        clients: &[Value],
        current: &mut Current,
    ) {
        let owner = &desired.owner;
        for g in &desired.groups {
            let Some(have) = groups.iter().find(|h| h.name == g.name) else {
                continue;
            };
            match owner.judge(
                have.meta[MARK_KEY].as_str(),
                have.meta[MARK_NAME_KEY].as_str(),
            ) {
                Mark::Ours => current.groups.push(g.name.clone()),
                Mark::None if g.legacy => {
                    current.adopt.push((ObjectKind::Group, g.name.clone()));
                    current.groups.push(g.name.clone());
                }
                mark => current
                    .conflicts
                    .push(Conflict::of(ObjectKind::Group, &g.name, &mark)),
            }
        }
        for want in &desired.clients {
            let Some(c) = clients.iter().find(|c| c["id"] == want.client_id.as_str()) else {
                continue;
            };
            let uris = c["redirect_uris"].as_array().into_iter().flatten();
            match owner.judge_contacts(contacts(c)) {
                Mark::Ours => current.clients.push(Self::settings_of(c)),
                Mark::None if under_domains(uris.filter_map(Value::as_str), &desired.domains) => {
                    current
                        .adopt
                        .push((ObjectKind::Client, want.client_id.clone()));
                    current.clients.push(Self::settings_of(c));
                }
                mark => {
                    current
                        .conflicts
                        .push(Conflict::of(ObjectKind::Client, &want.client_id, &mark))
                }
            }
        }
        for c in clients {
            let id = c["id"].as_str().unwrap_or_default();
            if owner.judge_contacts(contacts(c)) == Mark::Ours
                && !desired.clients.iter().any(|d| d.client_id == id)
            {
                current.orphans.push(Orphan {
                    client_id: id.to_owned(),
                    name: c["name"].as_str().unwrap_or(id).to_owned(),
                });
            }
        }
    }

    /// Marks a group or client an earlier Ferry made for the organisation.
    pub(super) async fn adopt(
        &self,
        what: ObjectKind,
        name: &str,
        owner: &Owner,
    ) -> Result<(), SsoError> {
        let action = format!("mark {name} as the organisation's");
        match what {
            ObjectKind::Group => {
                let groups = self.groups().await?;
                let Some(g) = groups.iter().find(|g| g.name == name) else {
                    return Ok(());
                };
                let body = json!({"group": g.name, "meta": marked_meta(&g.meta, owner)});
                let path = format!("/groups/{}", seg(&g.id));
                let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
                self.expect_ok(resp, &action).await
            }
            ObjectKind::Client => {
                let Some(existing) = self.get_client(name).await? else {
                    return Ok(());
                };
                let mut body = json!({});
                for field in UPDATE_FIELDS {
                    if let Some(v) = existing.get(field) {
                        body[field] = v.clone();
                    }
                }
                body["contacts"] = marked_contacts(&existing, owner);
                let path = format!("/clients/{}", seg(name));
                let resp = self.call(&action, Method::PUT, &path, Some(&body)).await?;
                self.expect_ok(resp, &action).await
            }
            // Realms and sign-in flows are Keycloak's.
            ObjectKind::Realm | ObjectKind::Flow => Ok(()),
        }
    }

    /// Deletes a client, only when it carries this organisation's mark.
    pub(super) async fn remove(&self, client_id: &str, owner: &Owner) -> Result<(), SsoError> {
        let action = format!("remove the client {client_id}");
        let Some(c) = self.get_client(client_id).await? else {
            return Ok(());
        };
        let mark = owner.judge_contacts(contacts(&c));
        if mark != Mark::Ours {
            return Err(SsoError::Conflict {
                idp: self.http.name(),
                what: format!("a client {client_id} that is not this organisation's"),
            });
        }
        let path = format!("/clients/{}", seg(client_id));
        let resp = self.call(&action, Method::DELETE, &path, None).await?;
        self.expect_ok(resp, &action).await
    }

    pub(super) async fn expect_ok(
        &self,
        resp: reqwest::Response,
        action: &str,
    ) -> Result<(), SsoError> {
        match resp.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() && s != reqwest::StatusCode::NOT_FOUND => {
                Err(self.http.refusal(resp, action).await.error)
            }
            s => Err(self.http.unexpected(s, action)),
        }
    }
}
