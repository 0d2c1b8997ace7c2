//! The settings an app's admin enters to sign in through the provider, filled in
//! from the reviewed templates in `data/apps.json`. The client secret appears only
//! when asked for; otherwise a placeholder stands in its place.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apps;
use crate::desired::DesiredClient;
use crate::names::slug;
use crate::verify::Endpoints;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppSetting {
    pub name: String,
    pub value: String,
    /// The value includes the client secret.
    pub secret: bool,
}

/// Shown where the secret would be when it is not revealed.
pub const HIDDEN: &str = "••••••••";

pub fn app_settings(
    client: &DesiredClient,
    org_name: &str,
    issuer: &str,
    endpoints: Option<&Endpoints>,
    secret: Option<&str>,
) -> Vec<AppSetting> {
    let Some(app) = apps::for_recipe(&client.recipe) else {
        return Vec::new();
    };
    let discovery = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let redirect = client
        .settings
        .redirect_uris
        .iter()
        .next()
        .cloned()
        .unwrap_or_default();
    let e = endpoints.cloned().unwrap_or_default();
    let org_slug = slug(org_name);
    app.settings
        .iter()
        .map(|(name, template)| {
            let value = template
                .replace("{issuer}", issuer)
                .replace("{discovery}", &discovery)
                .replace("{client_id}", &client.client_id)
                .replace("{redirect_uri}", &redirect)
                .replace("{authorization_endpoint}", &e.authorization_endpoint)
                .replace("{token_endpoint}", &e.token_endpoint)
                .replace(
                    "{userinfo_endpoint}",
                    e.userinfo_endpoint.as_deref().unwrap_or_default(),
                )
                .replace("{org_slug}", &org_slug)
                .replace("{org}", &org_slug);
            let has_secret = template.contains("{client_secret}");
            AppSetting {
                name: name.clone(),
                value: value.replace("{client_secret}", secret.unwrap_or(HIDDEN)),
                secret: has_secret,
            }
        })
        .collect()
}
