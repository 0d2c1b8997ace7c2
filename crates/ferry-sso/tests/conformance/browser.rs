//! A browser on Keycloak's pages, as a person uses them: cookies kept, redirects
//! followed one by one, Keycloak's own HTML forms filled in (sign in, new password,
//! profile), until Keycloak sends the browser away or shows a page without a form.
//! Then, for a sign-in, the app's half: the code exchanged with the PKCE verifier and
//! the client secret, and the ID token checked against the realm's published keys.

use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use reqwest::Url;

/// Who is at the keyboard.
pub struct Person<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// Typed where Keycloak asks for a new password (an invitation's link).
    pub new_password: Option<&'a str>,
}

/// Where the walk ended.
#[derive(Debug)]
pub enum Walk {
    /// Keycloak sent the browser outside itself, to this address.
    Left(Url),
    /// Keycloak showed a page with no form the person fills in: its words and links.
    Page {
        status: u16,
        text: String,
        links: Vec<String>,
    },
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Follows `start` through Keycloak at `keycloak` (its base address).
pub async fn walk(
    http: &reqwest::Client,
    keycloak: &str,
    start: &str,
    who: &Person<'_>,
) -> Result<Walk, String> {
    let mut next = Url::parse(start).map_err(|e| e.to_string())?;
    let mut form: Option<(Url, Vec<(String, String)>)> = None;
    for _ in 0..16 {
        let resp = match form.take() {
            Some((action, fields)) => http.post(action).form(&fields).send().await,
            None => http.get(next.clone()).send().await,
        }
        .map_err(|e| format!("{next}: {e}"))?;
        let status = resp.status();
        if status.is_redirection() {
            let location = resp
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .ok_or("a redirect without a location")?;
            next = next.join(location).map_err(|e| e.to_string())?;
            if !next.as_str().starts_with(keycloak) {
                return Ok(Walk::Left(next));
            }
            continue;
        }
        let html = resp.text().await.map_err(|e| e.to_string())?;
        let Some((id, action)) = keycloak_form(&html) else {
            // "» Click here to proceed": the one link onward inside Keycloak's pages.
            let onward: Vec<String> = links_of(&html)
                .into_iter()
                .filter(|l| l.contains("/login-actions/"))
                .collect();
            if let [only] = onward.as_slice() {
                next = next.join(only).map_err(|e| e.to_string())?;
                continue;
            }
            return Ok(Walk::Page {
                status: status.as_u16(),
                text: text_of(&html),
                links: links_of(&html),
            });
        };
        let action = next.join(&action).map_err(|e| e.to_string())?;
        let fields = match id.as_str() {
            "kc-form-login" => fields(&[
                ("username", who.username),
                ("password", who.password),
                ("credentialId", ""),
            ]),
            "kc-passwd-update-form" => {
                let new = who
                    .new_password
                    .ok_or("Keycloak asked for a new password")?;
                fields(&[("password-new", new), ("password-confirm", new)])
            }
            // Keycloak asks for a profile it finds incomplete: keep what it shows.
            "kc-update-profile-form" => inputs_of(&html),
            other => {
                return Err(format!(
                    "a form Keycloak shows that this test does not fill: {other}"
                ));
            }
        };
        form = Some((action, fields));
    }
    Err(format!("still inside Keycloak after 16 pages: {next}"))
}

/// An app's sign-in that got through: who, as the ID token says.
#[derive(Debug)]
pub struct SignedIn {
    pub subject: String,
    pub email: Option<String>,
}

/// An app's client signing `who` in with authorization code + PKCE: `Ok(Ok(..))` with
/// a checked ID token, `Ok(Err(text))` when Keycloak showed a page instead of sending
/// the browser back with a code (its words), `Err` when something else went wrong.
pub async fn sign_in(
    issuer: &str,
    client_id: &str,
    secret: &str,
    redirect: &str,
    who: &Person<'_>,
) -> Result<Result<SignedIn, String>, String> {
    let http = browser();
    let meta = CoreProviderMetadata::discover_async(
        IssuerUrl::new(issuer.to_owned()).map_err(|e| e.to_string())?,
        &http,
    )
    .await
    .map_err(|e| format!("discovery of {issuer}: {e}"))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(client_id.to_owned()),
        Some(ClientSecret::new(secret.to_owned())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.to_owned()).map_err(|e| e.to_string())?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let keycloak = issuer.split("/realms/").next().unwrap_or(issuer);
    let back = match walk(&http, keycloak, url.as_str(), who).await? {
        Walk::Left(back) => back,
        Walk::Page { text, .. } => return Ok(Err(text)),
    };
    if !back.as_str().starts_with(redirect) {
        return Err(format!("sent to {back}, not to the app's {redirect}"));
    }
    let query = |name: &str| {
        back.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if query("state").as_deref() != Some(state.secret()) {
        return Err(format!("the state did not come back: {back}"));
    }
    let code = query("code").ok_or_else(|| format!("no code: {back}"))?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| e.to_string())?
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(|e| format!("the code exchange: {e:?}"))?;
    let id_token = token.id_token().ok_or("no ID token")?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .map_err(|e| format!("the ID token: {e}"))?;
    Ok(Ok(SignedIn {
        subject: claims.subject().to_string(),
        email: claims.email().map(|e| e.to_string()),
    }))
}

/// The id and action of the first `<form>` on a Keycloak page that has both.
fn keycloak_form(html: &str) -> Option<(String, String)> {
    let mut rest = html;
    while let Some(at) = rest.find("<form") {
        let tag = &rest[at..at + rest[at..].find('>')?];
        if let (Some(id), Some(action)) = (attr(tag, "id"), attr(tag, "action")) {
            return Some((id, action));
        }
        rest = &rest[at + 5..];
    }
    None
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Every `<input name=… value=…>` that is not a button, as the browser would send it.
fn inputs_of(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for piece in html.split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        if attr(tag, "type").is_some_and(|t| t == "submit" || t == "checkbox") {
            continue;
        }
        if let Some(name) = attr(tag, "name") {
            out.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#61;", "=")
        .replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn links_of(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .filter_map(|a| {
            attr(
                &format!(" {}", &a[..a.find('>').unwrap_or(a.len())]),
                "href",
            )
        })
        .collect()
}

/// The page's visible words in one line (tags, scripts and styles dropped).
fn text_of(html: &str) -> String {
    let body = html
        .split_once("<body")
        .and_then(|(_, b)| b.split_once('>'))
        .map_or(html, |(_, b)| b);
    let mut out = String::new();
    let mut in_tag = false;
    let mut skip = false;
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        let rest = &body[i..];
        if rest.starts_with("<script") || rest.starts_with("<style") {
            skip = true;
        } else if rest.starts_with("</script") || rest.starts_with("</style") {
            skip = false;
        }
        let c = rest.chars().next().expect("in bounds");
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag && !skip => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    unescape(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}
