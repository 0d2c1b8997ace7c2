//! The administrator's hand on a real Rauthy, through its API (`/auth/v1`), and a
//! real sign-in through its login page.

use reqwest::Method;
use serde_json::{Value, json};

use super::{RAUTHY_UPDATE, RealAdmin};
use crate::conformance::Target;

impl RealAdmin {
    pub(super) async fn ra_client(&self, client_id: &str) -> Result<Value, String> {
        self.ok(Method::GET, &format!("/clients/{client_id}"), None)
            .await
    }

    pub(super) async fn ra_put(
        &self,
        client_id: &str,
        edit: impl FnOnce(&mut Value),
    ) -> Result<(), String> {
        let c = self.ra_client(client_id).await?;
        let mut body = json!({});
        for f in RAUTHY_UPDATE {
            if let Some(v) = c.get(f) {
                body[f] = v.clone();
            }
        }
        edit(&mut body);
        self.ok(Method::PUT, &format!("/clients/{client_id}"), Some(body))
            .await
            .map(|_| ())
    }

    /// A real sign-in on Rauthy, as a browser makes it: the login page (for its CSRF
    /// token), a proof of work, then the credentials. 202 with a code is "in"; 403
    /// ("You don't have access to this client") is "not in".
    pub(super) async fn ra_sign_in(
        &self,
        t: &Target,
        email: &str,
        client_id: &str,
    ) -> Result<bool, String> {
        const PASSWORD: &str = "Conformance-Pass-2026-long";
        let u = self
            .ok(Method::GET, &format!("/users/email/{email}"), None)
            .await?;
        let id = u["id"].as_str().ok_or("no user id")?.to_owned();
        let body = json!({
            "email": u["email"], "given_name": u["given_name"], "family_name": u["family_name"],
            "language": "en", "password": PASSWORD, "roles": u["roles"].as_array().cloned().unwrap_or_default(),
            "groups": u["groups"], "enabled": true, "email_verified": true,
        });
        // Set once; a second sign-in of the same person keeps it (Rauthy refuses a
        // password used before).
        let (status, answer) = self
            .call(Method::PUT, &format!("/users/{id}"), Some(body))
            .await?;
        if status >= 300 && !answer.to_string().contains("last 3 used passwords") {
            return Err(format!("setting a password: {status} {answer}"));
        }
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
        let (challenge, _) = openidconnect::PkceCodeChallenge::new_random_sha256();
        let pkce = client.settings.pkce == Some(true);
        let mut browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ca) = &t.options.ca_file {
            let pem = std::fs::read(ca).map_err(|e| e.to_string())?;
            browser = browser.add_root_certificate(
                reqwest::Certificate::from_pem(&pem).map_err(|e| e.to_string())?,
            );
        }
        let browser = browser.build().map_err(|e| e.to_string())?;
        let api = format!("{}/auth/v1", self.base);
        let mut query = vec![
            ("client_id", client_id.to_owned()),
            ("redirect_uri", redirect.clone()),
            ("response_type", "code".to_owned()),
            ("scope", "openid email profile".to_owned()),
            ("state", "s".to_owned()),
            ("nonce", "n".to_owned()),
        ];
        if pkce {
            query.push(("code_challenge", challenge.as_str().to_owned()));
            query.push(("code_challenge_method", "S256".to_owned()));
        }
        let page = browser
            .get(format!("{api}/oidc/authorize"))
            .query(&query)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let csrf = between(&page, "<template id=\"tpl_csrf_token\">", "</template>")
            .ok_or("no CSRF token on the login page")?;
        let pow = browser
            .post(format!("{api}/pow"))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let solved = solve_pow(pow.trim().trim_matches('"'))?;
        let mut login = json!({
            "email": email, "password": PASSWORD, "pow": solved, "client_id": client_id,
            "redirect_uri": redirect, "scopes": ["openid", "email", "profile"], "state": "s", "nonce": "n",
        });
        if pkce {
            login["code_challenge"] = json!(challenge.as_str());
            login["code_challenge_method"] = json!("S256");
        }
        let resp = browser
            .post(format!("{api}/oidc/authorize"))
            .header("x-csrf-token", csrf)
            .header("origin", &self.base)
            .json(&login)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        match status {
            200..=299 if location.contains("code=") => Ok(true),
            403 => Ok(false),
            other => Err(format!(
                "sign-in answered {other}: {}",
                resp.text().await.unwrap_or_default()
            )),
        }
    }

    /// Removes the plan's clients, groups and members.
    pub(super) async fn ra_reset(&self) -> Result<(), String> {
        const CLIENTS: [&str; 3] = ["nextcloud", "outline", "bookstack"];
        const USERS: [&str; 2] = ["kari.nordmann@example.org", "ola@example.org"];
        let ours = |name: &str| {
            ["members", "board"].contains(&name)
                || name.starts_with("app-")
                || name.contains("-extra-")
        };
        for id in CLIENTS {
            self.call(Method::DELETE, &format!("/clients/{id}"), None)
                .await?;
        }
        let (_, groups) = self.call(Method::GET, "/groups", None).await?;
        for g in groups.as_array().into_iter().flatten() {
            if ours(g["name"].as_str().unwrap_or_default()) {
                self.call(
                    Method::DELETE,
                    &format!("/groups/{}", g["id"].as_str().unwrap_or_default()),
                    None,
                )
                .await?;
            }
        }
        for email in USERS {
            let (status, u) = self
                .call(Method::GET, &format!("/users/email/{email}"), None)
                .await?;
            if status == 200 {
                self.call(
                    Method::DELETE,
                    &format!("/users/{}", u["id"].as_str().unwrap_or_default()),
                    None,
                )
                .await?;
            }
        }
        Ok(())
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// Rauthy's proof of work: the challenge's characters 2–3 give the number of leading
/// zero bits SHA-256 of the challenge and a counter must have.
fn solve_pow(challenge: &str) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let bits: u32 = challenge
        .get(2..4)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| format!("not a proof-of-work challenge: {challenge}"))?;
    for n in 0u64.. {
        let digest = Sha256::digest(format!("{challenge}{n}").as_bytes());
        let lead = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
        if lead.leading_zeros() >= bits {
            return Ok(format!("{challenge}{n}"));
        }
    }
    unreachable!("the counter is unbounded")
}
