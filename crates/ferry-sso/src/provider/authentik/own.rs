//! Whose Authentik's objects are. An OAuth2 provider keeps no free field, so a client
//! is judged by its application, whose publisher line carries the mark (`<name>
//! (ferry:<plan id>)`, shown to admins and in members' app menus); a group keeps the
//! mark in its `attributes`. Policy bindings have no field of their own: they join the
//! organisation's group to its application and are judged by those two.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Authentik, pk_str};
use crate::desired::Desired;
use std::collections::{BTreeSet, HashMap};

use super::body;
use super::setup::Setup;
use crate::desired::{ClientSettings, DesiredClient};
use crate::diff::{Current, CurrentClient};
use crate::error::SsoError;
use crate::owner::{
    Conflict, MARK_KEY, MARK_NAME_KEY, Mark, ObjectKind, Orphan, Owner, under_domains,
};
use crate::provider::seg;

/// The group attributes with the organisation's mark, keeping what else they hold.
pub(super) fn marked_attributes(attributes: &Value, owner: &Owner) -> Value {
    let mut out = if attributes.is_object() {
        attributes.clone()
    } else {
        json!({})
    };
    out[MARK_KEY] = json!(owner.id);
    out[MARK_NAME_KEY] = json!(owner.name);
    out
}

/// What a client's provider and application say about whose it is.
pub(super) enum Verdict {
    Ours,
    /// From before marks, recognised by its return addresses.
    Adopt,
    Conflict(Mark),
}

impl Authentik {
    /// One client as Authentik has it, or None when it has no provider.
    pub(super) async fn current_client(
        &self,
        setup: &Setup,
        groups: &HashMap<String, String>,
        desired: &Desired,
        c: &DesiredClient,
    ) -> Result<Found, SsoError> {
        let (provider, app) = tokio::try_join!(
            self.find_provider(&c.client_id),
            self.application(&c.client_id)
        )?;
        let Some(p) = provider else {
            // An application of that name with no provider of this id is not Ferry's.
            return Ok(match app {
                Some(a) if !a["provider"].is_null() => {
                    let mark = desired
                        .owner
                        .judge_publisher(a["meta_publisher"].as_str().unwrap_or_default());
                    Found::Conflict(Conflict::of(ObjectKind::Client, &c.client_id, &mark))
                }
                _ => Found::Missing,
            });
        };
        let (login, logout) = body::redirects_of(setup, &p);
        let adopt = match Self::verdict(desired, &login, &p, app.as_ref()) {
            Verdict::Ours => false,
            Verdict::Adopt => true,
            Verdict::Conflict(mark) => {
                return Ok(Found::Conflict(Conflict::of(
                    ObjectKind::Client,
                    &c.client_id,
                    &mark,
                )));
            }
        };
        let mut incomplete = Vec::new();
        match app {
            // Not there, or serving another provider (or none): nobody signs in.
            Some(a) if pk_str(&a["provider"]) == pk_str(&p["pk"]) => {
                if c.access_enforced {
                    let bound = self.bound_groups(&pk_str(&a["pk"])).await?;
                    if !groups
                        .get(&c.access_group)
                        .is_some_and(|g| bound.contains(g))
                    {
                        incomplete.push("access".to_owned());
                    }
                }
            }
            _ => incomplete.push("application".to_owned()),
        }
        let mappings: BTreeSet<String> = p["property_mappings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect();
        if !setup.scope_mappings.iter().all(|m| mappings.contains(m)) {
            incomplete.push("scopes".to_owned());
        }
        if p["client_type"] != "confidential" {
            incomplete.push("confidential".to_owned());
        }
        if setup.signing_key.is_some() && p["signing_key"].is_null() {
            incomplete.push("signing".to_owned());
        }
        Ok(Found::Client(
            adopt,
            CurrentClient {
                client_id: c.client_id.clone(),
                settings: ClientSettings {
                    redirect_uris: login,
                    // Logout entries only exist from 2026.5; before, nothing to compare.
                    post_logout_redirect_uris: if setup.logout_entries() {
                        logout
                    } else {
                        c.settings.post_logout_redirect_uris.clone()
                    },
                    pkce: None,
                    // Authentik's profile scope carries the groups claim.
                    groups_claim: true,
                },
                incomplete,
            },
        ))
    }

    /// Whose the client with this id is, from its provider and application.
    pub(super) fn verdict(
        desired: &Desired,
        login: &std::collections::BTreeSet<String>,
        provider: &Value,
        app: Option<&Value>,
    ) -> Verdict {
        let owner = &desired.owner;
        let serves_it = app.is_some_and(|a| pk_str(&a["provider"]) == pk_str(&provider["pk"]));
        match app.map(|a| owner.judge_publisher(a["meta_publisher"].as_str().unwrap_or_default())) {
            Some(Mark::Ours) if serves_it => return Verdict::Ours,
            Some(mark @ Mark::Other { .. }) => return Verdict::Conflict(mark),
            // An application of that name for another provider is someone else's.
            Some(_) if app.is_some_and(|a| !a["provider"].is_null()) && !serves_it => {
                return Verdict::Conflict(Mark::None);
            }
            _ => {}
        }
        if under_domains(login.iter().map(String::as_str), &desired.domains) {
            Verdict::Adopt
        } else {
            Verdict::Conflict(Mark::None)
        }
    }

    /// Sorts the groups into the organisation's (or to adopt) and conflicts.
    pub(super) fn judge_groups(desired: &Desired, all: &[Value], current: &mut Current) {
        let owner = &desired.owner;
        for g in &desired.groups {
            let Some(have) = all.iter().find(|h| h["name"] == g.name.as_str()) else {
                continue;
            };
            let attr = |k: &str| have["attributes"][k].as_str();
            match owner.judge(attr(MARK_KEY), attr(MARK_NAME_KEY)) {
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
    }

    /// Applications this organisation's Ferry made for apps no longer in the plan.
    pub(super) async fn orphans(&self, desired: &Desired) -> Result<Vec<Orphan>, SsoError> {
        // Without `superuser_full_list` Authentik lists only what the token's user may open.
        let apps = self
            .list_all(
                "read the applications",
                "/core/applications/?superuser_full_list=true",
            )
            .await?;
        Ok(apps
            .into_iter()
            .filter(|a| {
                desired
                    .owner
                    .judge_publisher(a["meta_publisher"].as_str().unwrap_or_default())
                    == Mark::Ours
            })
            .filter(|a| {
                !desired
                    .clients
                    .iter()
                    .any(|c| a["slug"] == c.client_id.as_str())
            })
            .map(|a| Orphan {
                client_id: a["slug"].as_str().unwrap_or_default().to_owned(),
                name: a["name"].as_str().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// Marks a group or an application an earlier Ferry made for the organisation.
    pub(super) async fn adopt(
        &self,
        what: ObjectKind,
        name: &str,
        owner: &Owner,
    ) -> Result<(), SsoError> {
        let action = format!("mark {name} as the organisation's");
        match what {
            ObjectKind::Group => {
                let found = self
                    .first(
                        "read the groups",
                        &format!("/core/groups/?name={}&include_users=false", seg(name)),
                    )
                    .await?
                    .filter(|g| g["name"] == name);
                let Some(g) = found else { return Ok(()) };
                let body = json!({"attributes": marked_attributes(&g["attributes"], owner)});
                let path = format!("/core/groups/{}/", seg(&pk_str(&g["pk"])));
                let resp = self
                    .call(&action, Method::PATCH, &path, Some(&body))
                    .await?;
                self.expect_ok(resp, &action).await
            }
            ObjectKind::Client => {
                // Without an application yet, setting the client up makes one, marked.
                if self.application(name).await?.is_none() {
                    return Ok(());
                }
                let path = format!("/core/applications/{}/", seg(name));
                let body = json!({"meta_publisher": owner.publisher()});
                let resp = self
                    .call(&action, Method::PATCH, &path, Some(&body))
                    .await?;
                self.expect_ok(resp, &action).await
            }
            // Realms and sign-in flows are Keycloak's.
            ObjectKind::Realm | ObjectKind::Flow => Ok(()),
        }
    }

    /// Deletes an application and its provider, only when marked as this organisation's.
    pub(super) async fn remove(&self, slug: &str, owner: &Owner) -> Result<(), SsoError> {
        let action = format!("remove the client {slug}");
        let Some(app) = self.application(slug).await? else {
            return Ok(());
        };
        if owner.judge_publisher(app["meta_publisher"].as_str().unwrap_or_default()) != Mark::Ours {
            return Err(SsoError::Conflict {
                idp: self.http.name(),
                what: format!("an application {slug} that is not this organisation's"),
            });
        }
        let path = format!("/core/applications/{}/", seg(slug));
        let resp = self.call(&action, Method::DELETE, &path, None).await?;
        self.expect_ok(resp, &action).await?;
        if !app["provider"].is_null() {
            let path = format!("/providers/oauth2/{}/", seg(&pk_str(&app["provider"])));
            let resp = self.call(&action, Method::DELETE, &path, None).await?;
            if resp.status() != reqwest::StatusCode::NOT_FOUND {
                self.expect_ok(resp, &action).await?;
            }
        }
        Ok(())
    }
}

/// One desired client as read: there (and whether it is to be adopted), not there,
/// or someone else's.
pub(super) enum Found {
    Client(bool, CurrentClient),
    Missing,
    Conflict(Conflict),
}
