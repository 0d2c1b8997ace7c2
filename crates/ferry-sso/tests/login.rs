//! A real OpenID Provider (panva's certified `oidc-provider`, run by Node on loopback)
//! configured with the clients Ferry plans for a union branch. The test finds it by
//! Ferry's discovery, then completes an authorization-code + PKCE sign-in the way an
//! app would, and checks the ID token with `openidconnect`.

mod common;

use std::path::Path;
use std::process::Stdio;

use ferry_core::model::IdpKind;
use ferry_sso::desired::from_plan;
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use tokio::io::{AsyncBufReadExt, BufReader};

struct Op {
    issuer: String,
    _child: tokio::process::Child,
}

/// Starts the provider, or explains why it cannot (and fails in CI).
async fn start_op(clients: &serde_json::Value, dir: &Path) -> Option<Op> {
    let op_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc-op");
    let ready = op_dir.join("node_modules/oidc-provider").is_dir();
    if !ready {
        let msg = "the login test needs `npm install` in crates/ferry-sso/tests/oidc-op (scripts/setup does it)";
        assert!(std::env::var("CI").is_err(), "{msg}");
        eprintln!("SKIPPED: {msg}");
        return None;
    }
    let file = dir.join("clients.json");
    std::fs::write(&file, clients.to_string()).unwrap();
    let mut child = tokio::process::Command::new("node")
        .arg(op_dir.join("server.mjs"))
        .arg(&file)
        .current_dir(&op_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the provider starts within 30 s")
        .unwrap()
        .expect("the provider prints its address");
    let issuer = line.strip_prefix("listening ").unwrap().to_owned();
    // Keep reading: the provider logs to stdout and must not meet a closed pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some(Op {
        issuer,
        _child: child,
    })
}

/// The `action` of the page's form and its hidden `prompt`.
fn form_of(html: &str) -> (String, String) {
    let attr = |name: &str, from: &str| -> Option<String> {
        let start = from.find(&format!("{name}=\""))? + name.len() + 2;
        let end = from[start..].find('"')? + start;
        Some(
            from[start..end]
                .replace("&#x2F;", "/")
                .replace("&amp;", "&"),
        )
    };
    let action = attr("action", html).expect("a form");
    let prompt_at = html.find("name=\"prompt\"").expect("a prompt field");
    let prompt = attr("value", &html[prompt_at..]).expect("a prompt value");
    (action, prompt)
}

#[tokio::test]
async fn an_app_signs_in_with_authorization_code_and_pkce_against_a_real_provider() {
    let dir = tempfile::tempdir().unwrap();
    // What Ferry plans for the apps: their client ids and redirect addresses.
    let plan = common::plan(IdpKind::Keycloak, "https://login.example.org");
    let desired = from_plan(&plan).unwrap();
    let nextcloud = desired
        .clients
        .iter()
        .find(|c| c.client_id == "nextcloud")
        .unwrap();
    let redirect = nextcloud
        .settings
        .redirect_uris
        .iter()
        .next()
        .unwrap()
        .clone();
    let secret = "a-client-secret-kept-in-the-keyring";
    let clients: Vec<serde_json::Value> = desired
        .clients
        .iter()
        .map(|c| {
            serde_json::json!({
                "client_id": c.client_id,
                "client_secret": secret,
                "redirect_uris": c.settings.redirect_uris,
            })
        })
        .collect();
    let Some(op) = start_op(&serde_json::json!(clients), dir.path()).await else {
        return;
    };

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();

    // Ferry's own check first: discovery answers with exactly this issuer.
    let endpoints = ferry_sso::verify::discover(&http, &op.issuer)
        .await
        .unwrap();
    assert!(endpoints.authorization_endpoint.starts_with(&op.issuer));
    let wrong = format!("{}/", op.issuer);
    assert!(matches!(
        ferry_sso::verify::discover(&http, &wrong).await,
        Err(ferry_sso::verify::AppProblem::IssuerMismatch { .. })
    ));

    // Then sign in as the app would.
    let meta =
        CoreProviderMetadata::discover_async(IssuerUrl::new(op.issuer.clone()).unwrap(), &http)
            .await
            .unwrap();
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new("nextcloud".into()),
        Some(ClientSecret::new(secret.into())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.clone()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();

    let mut next = auth_url.to_string();
    let mut code = None;
    for _ in 0..12 {
        let resp = http.get(&next).send().await.unwrap();
        if resp.status().is_redirection() {
            let location = resp.headers()["location"].to_str().unwrap().to_owned();
            let absolute = reqwest::Url::parse(&next).unwrap().join(&location).unwrap();
            if absolute.as_str().starts_with(&redirect) {
                let pairs: std::collections::HashMap<_, _> =
                    absolute.query_pairs().into_owned().collect();
                assert_eq!(pairs.get("state"), Some(state.secret()));
                code = pairs.get("code").cloned();
                break;
            }
            next = absolute.to_string();
            continue;
        }
        assert!(resp.status().is_success(), "{}: {}", next, resp.status());
        let html = resp.text().await.unwrap();
        let (action, prompt) = form_of(&html);
        let target = reqwest::Url::parse(&next).unwrap().join(&action).unwrap();
        let form: Vec<(&str, &str)> = match prompt.as_str() {
            "login" => vec![("prompt", "login"), ("login", "kari"), ("password", "any")],
            _ => vec![("prompt", prompt.as_str())],
        };
        let posted = http.post(target.clone()).form(&form).send().await.unwrap();
        assert!(
            posted.status().is_redirection(),
            "{prompt}: {}",
            posted.status()
        );
        let location = posted.headers()["location"].to_str().unwrap().to_owned();
        next = target.join(&location).unwrap().to_string();
    }
    let code = code.expect("the provider sent the browser back with a code");

    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .unwrap();
    let id_token = token.id_token().expect("an ID token");
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("a valid, signed ID token for this client and nonce");
    assert_eq!(claims.subject().as_str(), "kari");
    assert_eq!(claims.email().map(|e| e.as_str()), Some("kari@example.org"));
    assert_eq!(claims.issuer().as_str(), op.issuer);
}
