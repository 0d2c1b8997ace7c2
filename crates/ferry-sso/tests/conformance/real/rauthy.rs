//! The administrator's hand on a real Rauthy, through its API (`/auth/v1`), and a
//! member's way in, as a browser goes: the password-setup link from the e-mail (caught
//! by scripts/real-idp/smtp-sink), the login page with its proof of work, the code, and
//! the token for it.

use reqwest::Method;
use serde_json::{Value, json};

use super::{RAUTHY_UPDATE, RealAdmin, ferry_group, ferry_made, scenario_person};
use crate::conformance::Target;

/// The password the access scenarios set by the admin API.
const ADMIN_SET: &str = "Conformance-Pass-2026-long";

/// A sign-in's answer: Rauthy's status, and the code when it gave one.
pub(super) struct Login {
    pub status: u16,
    pub code: Option<String>,
    pub verifier: String,
    pub redirect: String,
    pub body: String,
}

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

    /// Removes what the scenarios made: Ferry's clients (marked or bare), the groups,
    /// the scenarios' people.
    pub(super) async fn ra_reset(&self) -> Result<(), String> {
        let (_, clients) = self.call(Method::GET, "/clients", None).await?;
        for c in clients.as_array().into_iter().flatten() {
            let id = c["id"].as_str().unwrap_or_default();
            if ferry_made(id) {
                self.call(Method::DELETE, &format!("/clients/{id}"), None)
                    .await?;
            }
        }
        let (_, groups) = self.call(Method::GET, "/groups", None).await?;
        for g in groups.as_array().into_iter().flatten() {
            if ferry_group(g["name"].as_str().unwrap_or_default()) {
                self.call(
                    Method::DELETE,
                    &format!("/groups/{}", g["id"].as_str().unwrap_or_default()),
                    None,
                )
                .await?;
            }
        }
        let (_, users) = self.call(Method::GET, "/users", None).await?;
        for u in users.as_array().into_iter().flatten() {
            if u["email"].as_str().is_some_and(scenario_person) {
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

    /// A browser with Rauthy's CA, keeping cookies, not following redirects.
    pub(super) fn browser(&self, t: &Target) -> Result<reqwest::Client, String> {
        let mut b = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ca) = &t.options.ca_file {
            let pem = std::fs::read(ca).map_err(|e| e.to_string())?;
            b = b.add_root_certificate(
                reqwest::Certificate::from_pem(&pem).map_err(|e| e.to_string())?,
            );
        }
        b.build().map_err(|e| e.to_string())
    }

    /// Whether the member may sign in to the client, with a password set by the admin
    /// API: 202 with a code is "in", 403 ("You don't have access to this client") is not.
    pub(super) async fn ra_sign_in(
        &self,
        t: &Target,
        email: &str,
        client_id: &str,
    ) -> Result<bool, String> {
        let u = self
            .ok(Method::GET, &format!("/users/email/{email}"), None)
            .await?;
        let id = u["id"].as_str().ok_or("no user id")?.to_owned();
        let body = json!({
            "email": u["email"], "given_name": u["given_name"], "family_name": u["family_name"],
            "language": "en", "password": ADMIN_SET, "roles": u["roles"].as_array().cloned().unwrap_or_default(),
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
        let login = self.ra_login(t, email, ADMIN_SET, client_id).await?;
        match login.status {
            200..=299 if login.code.is_some() => Ok(true),
            403 => Ok(false),
            other => Err(format!("sign-in answered {other}: {}", login.body)),
        }
    }

    /// The login as Rauthy's page makes it: the page (for its CSRF token), a proof of
    /// work, then the credentials with the app's PKCE challenge where it sends one.
    pub(super) async fn ra_login(
        &self,
        t: &Target,
        email: &str,
        password: &str,
        client_id: &str,
    ) -> Result<Login, String> {
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
        let pkce = client.settings.pkce == Some(true);
        let browser = self.browser(t)?;
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
            "email": email, "password": password, "pow": solved, "client_id": client_id,
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
        let code = reqwest::Url::parse(&location).ok().and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
        });
        Ok(Login {
            status,
            code,
            verifier: if pkce {
                verifier.secret().to_owned()
            } else {
                String::new()
            },
            redirect,
            body: resp.text().await.unwrap_or_default(),
        })
    }

    /// The password-setup link in the newest e-mail to `email` in the sink's folder.
    pub(super) fn ra_mailbox_link(&self, email: &str) -> Result<Option<String>, String> {
        let dir = std::env::var("FERRY_REAL_IDP_MAILBOX")
            .map_err(|_| "FERRY_REAL_IDP_MAILBOX is not set (scripts/real-idp/rauthy sets it)")?;
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{dir}: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        for path in files.iter().rev() {
            let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
            let first = text.lines().next().unwrap_or_default().to_lowercase();
            if !first.contains(&email.to_lowercase()) {
                continue;
            }
            // Quoted-printable soft breaks and `=` escapes.
            let plain = text
                .replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=");
            let Some(start) = plain.find("https://") else {
                continue;
            };
            let link: String = plain[start..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"\"<>'".contains(*c))
                .collect();
            if link.contains("/reset/") {
                return Ok(Some(link));
            }
        }
        Ok(None)
    }

    /// What the member does with the link: the reset page (its cookie and CSRF token),
    /// then the new password.
    pub(super) async fn ra_follow_link(
        &self,
        t: &Target,
        url: &str,
        password: &str,
    ) -> Result<(), String> {
        let browser = self.browser(t)?;
        let page = browser
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !page.status().is_success() {
            return Err(format!("the link answered {}", page.status()));
        }
        let answer: serde_json::Value = page.json().await.map_err(|e| e.to_string())?;
        let csrf = answer["csrf_token"].as_str().ok_or("no CSRF token")?;
        let path = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
        let segments: Vec<&str> = path
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let (user, magic) = match segments.as_slice() {
            [.., "users", user, "reset", magic] => (*user, *magic),
            _ => return Err(format!("not a reset link: {url}")),
        };
        let resp = browser
            .put(format!("{}/auth/v1/users/{user}/reset", self.base))
            .header("x-pwd-csrf-token", csrf)
            .header("origin", &self.base)
            .json(&json!({"magic_link_id": magic, "password": password}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match resp.status().as_u16() {
            200..=299 => Ok(()),
            s => Err(format!(
                "setting the password answered {s}: {}",
                resp.text().await.unwrap_or_default()
            )),
        }
    }

    /// A sign-in with the member's own password and the code exchanged for tokens at
    /// Rauthy's token endpoint, with the client's secret and the PKCE verifier.
    pub(super) async fn ra_code_sign_in(
        &self,
        t: &Target,
        email: &str,
        password: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<bool, String> {
        let login = self.ra_login(t, email, password, client_id).await?;
        let Some(code) = login.code else {
            return Err(format!("no code: {} {}", login.status, login.body));
        };
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code),
            ("redirect_uri", login.redirect),
            ("client_id", client_id.to_owned()),
            ("client_secret", secret.to_owned()),
        ];
        if !login.verifier.is_empty() {
            form.push(("code_verifier", login.verifier));
        }
        let resp = self
            .browser(t)?
            .post(format!("{}/auth/v1/oidc/token", self.base))
            .form(&form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let tokens: serde_json::Value = resp.json().await.unwrap_or_default();
        if status.is_success() && tokens["access_token"].is_string() {
            Ok(true)
        } else {
            Err(format!("the token endpoint answered {status}: {tokens}"))
        }
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
