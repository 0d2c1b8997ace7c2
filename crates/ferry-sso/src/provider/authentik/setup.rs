//! What every Authentik provider Ferry makes needs, looked up once per run: the
//! version (its API changed shape over time), the default flows, the signing key
//! and the scope mappings of a fresh install.

use serde_json::Value;

use super::{Authentik, SCOPES};
use crate::error::SsoError;
use crate::provider::seg;

const AUTH_FLOW: &str = "default-provider-authorization-implicit-consent";
const INVALIDATION_FLOW: &str = "default-provider-invalidation-flow";
const SIGNING_KEY: &str = "authentik Self-signed Certificate";

/// What every provider needs, looked up once per run.
#[derive(Debug, Clone)]
pub(super) struct Setup {
    pub version: (u32, u32, u32),
    pub authorization_flow: String,
    pub invalidation_flow: Option<String>,
    pub signing_key: Option<String>,
    pub scope_mappings: Vec<String>,
}

impl Setup {
    pub fn redirects_as_list(&self) -> bool {
        let v = self.version;
        v >= (2024, 10, 3) || (v.0 == 2024 && v.1 == 8 && v.2 >= 5)
    }
    pub fn logout_entries(&self) -> bool {
        self.version >= (2026, 5, 0)
    }
}

fn parse_version(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.trim().split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

impl Authentik {
    pub(super) async fn look_up_setup(&self) -> Result<Setup, SsoError> {
        // Authentik answers a bad token with 403, before any right is checked.
        let v = match self.get_json("read the version", "/admin/version/").await {
            Err(SsoError::Forbidden { .. }) => {
                return Err(SsoError::BadCredentials {
                    idp: self.http.name(),
                });
            }
            other => other?,
        };
        let version = v["version_current"]
            .as_str()
            .and_then(parse_version)
            .ok_or_else(|| SsoError::NotThisProvider {
                idp: self.http.name(),
                url: self.http.base.clone(),
            })?;
        let missing = |what: &str, hint| SsoError::Missing {
            idp: "Authentik",
            what: what.to_owned(),
            hint,
        };
        let flow = |slug: &str| format!("/flows/instances/?slug={}", seg(slug));
        let pk_of = |found: Option<Value>| found.and_then(|f| f["pk"].as_str().map(str::to_owned));
        let scope_path = if version >= (2024, 8, 0) {
            "/propertymappings/provider/scope/"
        } else {
            "/propertymappings/scope/"
        };
        let scope_paths: Vec<String> = SCOPES
            .iter()
            .map(|scope| {
                let managed = format!("goauthentik.io/providers/oauth2/scope-{scope}");
                format!("{scope_path}?managed={}", seg(&managed))
            })
            .collect();
        let auth_path = flow(AUTH_FLOW);
        let key_path = format!("/crypto/certificatekeypairs/?name={}", seg(SIGNING_KEY));
        // Independent lookups, made at the same time.
        let (auth, invalidation, key, scopes) = tokio::try_join!(
            self.first("find the sign-in flow", &auth_path),
            async {
                if version >= (2024, 10, 0) {
                    self.first("find the sign-out flow", &flow(INVALIDATION_FLOW))
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            self.first("find the signing key", &key_path),
            futures_util::future::try_join_all(
                scope_paths
                    .iter()
                    .map(|p| self.first("find the scope mappings", p)),
            ),
        )?;
        let flow_missing = |slug: &str| {
            missing(
                &format!("flow {slug}"),
                "it comes with every install; restore it under Flows",
            )
        };
        let authorization_flow = pk_of(auth).ok_or_else(|| flow_missing(AUTH_FLOW))?;
        let invalidation_flow = match invalidation {
            Some(found) => Some(pk_of(found).ok_or_else(|| flow_missing(INVALIDATION_FLOW))?),
            None => None,
        };
        let signing_key = pk_of(key);
        let mut scope_mappings = Vec::new();
        for (scope, found) in SCOPES.iter().zip(scopes) {
            let pk = pk_of(found).ok_or_else(|| {
                missing(
                    &format!("scope mapping {scope}"),
                    "it comes with every install",
                )
            })?;
            scope_mappings.push(pk);
        }
        Ok(Setup {
            version,
            authorization_flow,
            invalidation_flow,
            signing_key,
            scope_mappings,
        })
    }
}

#[doc(hidden)]
pub(super) fn fuzz_parse_version(s: &str) -> Option<(u32, u32, u32)> {
    parse_version(s)
}
