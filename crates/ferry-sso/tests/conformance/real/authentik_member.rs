//! A member's way in on a real Authentik, as its web pages go (headless, through the
//! flow executor API they call): the recovery link's flow sets the password and signs
//! in, then the app's authorization flow gives a code for its client, and the token
//! endpoint takes the code with the client's secret and the PKCE verifier.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use serde_json::{Value, json};

use super::RealAdmin;
use crate::conformance::Target;

/// A member's browser: cookies kept (and readable, for Django's CSRF token).
pub(super) struct Browser {
    pub client: reqwest::Client,
    jar: Arc<Jar>,
}

impl RealAdmin {
    pub(super) fn ak_browser(&self) -> Result<Browser, String> {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Browser { client, jar })
    }

    /// Runs the flow `slug` from its first challenge to its redirect, answering each
    /// stage: the password prompt with `password`, the login stage without "stay signed
    /// in". The redirect's target is returned.
    async fn ak_run_flow(
        &self,
        b: &Browser,
        slug: &str,
        query: &str,
        uid: &str,
        password: &str,
    ) -> Result<String, String> {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/api/v3/flows/executor/{slug}/", self.base),
            &[("query", query)],
        )
        .map_err(|e| e.to_string())?;
        let browser = &b.client;
        let mut challenge = next_challenge(browser, &url).await?;
        for _ in 0..10 {
            let component = challenge["component"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let answer = match component.as_str() {
                "xak-flow-redirect" => {
                    return Ok(challenge["to"].as_str().unwrap_or_default().to_owned());
                }
                "ak-stage-prompt" => json!({
                    "component": component, "password": password, "password_repeat": password,
                }),
                "ak-stage-user-login" => json!({"component": component, "remember_me": false}),
                // With a password stage joined to it, the password comes along.
                "ak-stage-identification" => {
                    json!({"component": component, "uid_field": uid, "password": password})
                }
                "ak-stage-password" => json!({"component": component, "password": password}),
                "ak-stage-consent" => json!({"component": component, "token": challenge["token"]}),
                _ => return Err(format!("flow {slug} stopped at {challenge}")),
            };
            let csrf = csrf_token(&self.base, &b.jar);
            let mut req = browser
                .post(url.clone())
                .header("referer", format!("{}/if/flow/{slug}/", self.base))
                .json(&answer);
            if let Some(token) = csrf {
                req = req.header("x-csrftoken", token);
            }
            let resp = req.send().await.map_err(|e| e.to_string())?;
            // Authentik answers a stage with a redirect to the executor for the next one.
            challenge = if resp.status().is_redirection() {
                next_challenge(browser, &url).await?
            } else {
                resp.json().await.map_err(|e| e.to_string())?
            };
        }
        Err(format!("flow {slug} did not finish"))
    }

    /// Follows the recovery link: its flow (planned for the member) sets the password.
    pub(super) async fn ak_follow_link(
        &self,
        browser: &Browser,
        link: &str,
        password: &str,
    ) -> Result<(), String> {
        let url = reqwest::Url::parse(link).map_err(|e| e.to_string())?;
        let slug = url
            .path_segments()
            .and_then(|s| s.filter(|p| !p.is_empty()).nth(2).map(str::to_owned))
            .ok_or_else(|| format!("not a flow link: {link}"))?;
        self.ak_run_flow(
            browser,
            &slug,
            url.query().unwrap_or_default(),
            "",
            password,
        )
        .await
        .map(|_| ())
    }

    /// Signs in through Authentik's default authentication flow, as its login page does.
    pub(super) async fn ak_log_in(
        &self,
        b: &Browser,
        email: &str,
        password: &str,
    ) -> Result<(), String> {
        self.ak_run_flow(b, "default-authentication-flow", "", email, password)
            .await
            .map(|_| ())
    }

    /// Signs in to the app's client with code and PKCE in the browser session the link
    /// left signed in, and exchanges the code for tokens.
    pub(super) async fn ak_code_sign_in(
        &self,
        t: &Target,
        b: &Browser,
        client_id: &str,
        secret: &str,
    ) -> Result<bool, String> {
        let browser = &b.client;
        let client = t
            .desired()
            .clients
            .into_iter()
            .find(|c| c.client_id == client_id)
            .ok_or("no such client in the plan")?;
        let redirect = client
            .settings
            .redirect_uris
            .iter()
            .next()
            .cloned()
            .unwrap_or_default();
        let (challenge, verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
        let query = [
            ("client_id", client_id),
            ("redirect_uri", redirect.as_str()),
            ("response_type", "code"),
            ("scope", "openid email profile"),
            ("state", "s"),
            ("nonce", "n"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        let resp = browser
            .get(format!("{}/application/o/authorize/", self.base))
            .query(&query)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let to = if location.starts_with(&redirect) {
            location
        } else {
            // The authorization flow: its executor gives the redirect with the code.
            let flow = reqwest::Url::parse(&self.base)
                .and_then(|b| b.join(&location))
                .map_err(|e| format!("{e}: {location}"))?;
            let slug = flow
                .path_segments()
                .and_then(|s| s.filter(|p| !p.is_empty()).nth(2).map(str::to_owned))
                .ok_or_else(|| format!("not sent to a flow: {location}"))?;
            let q = flow.query().unwrap_or_default().to_owned();
            self.ak_run_flow(b, &slug, &q, "", "").await?
        };
        let code = reqwest::Url::parse(&to)
            .ok()
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == "code")
                    .map(|(_, v)| v.into_owned())
            })
            .ok_or_else(|| format!("no code in {to}"))?;
        let resp = browser
            .post(format!("{}/application/o/token/", self.base))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect.as_str()),
                ("client_id", client_id),
                ("client_secret", secret),
                ("code_verifier", verifier.secret().as_str()),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let tokens: Value = resp.json().await.unwrap_or_default();
        if status.is_success() && tokens["access_token"].is_string() {
            Ok(true)
        } else {
            Err(format!("the token endpoint answered {status}: {tokens}"))
        }
    }
}

/// The executor's next challenge: it answers each stage it runs without one (the user
/// write, the login) with a redirect to itself, so those are followed.
async fn next_challenge(browser: &reqwest::Client, url: &reqwest::Url) -> Result<Value, String> {
    for _ in 0..10 {
        let resp = browser
            .get(url.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.status().is_redirection() {
            return resp.json().await.map_err(|e| e.to_string());
        }
    }
    Err(format!("{url} kept redirecting"))
}

/// Django's CSRF cookie, which its pages send back as a header.
fn csrf_token(base: &str, jar: &Jar) -> Option<String> {
    let url = reqwest::Url::parse(base).ok()?;
    let cookies = jar.cookies(&url)?;
    cookies.to_str().ok()?.split(';').find_map(|c| {
        c.trim()
            .strip_prefix("authentik_csrf=")
            .or_else(|| c.trim().strip_prefix("csrftoken="))
            .map(str::to_owned)
    })
}
