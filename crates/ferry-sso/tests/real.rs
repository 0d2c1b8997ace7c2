//! The conformance scenarios against a REAL Rauthy or Authentik on this computer, the
//! way Terraform providers run their acceptance tests: opt-in, never in `make test`
//! (the servers come from their sources, which CI cannot fetch). Start one with
//! `scripts/real-idp/rauthy` or `scripts/real-idp/authentik`, `source` the env file it
//! prints, then:
//!
//!     FERRY_REAL_IDP=rauthy cargo test -p ferry-sso --test real -- --nocapture
//!
//! Each scenario starts from a provider without Ferry's clients, groups and members
//! (it removes what an earlier scenario made), and a table of results is printed for
//! docs/sso-conformance.md. Without FERRY_REAL_IDP the test says so and does nothing.

mod conformance;

use std::path::PathBuf;

use conformance::real::RealAdmin;
use std::sync::Arc;

use conformance::{Admin, Org, Target};
use ferry_core::model::IdpKind;
use ferry_sso::Options;
use ferry_sso::provider::{Credentials, Secret};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: source the env file scripts/real-idp/* printed")
    })
}

fn target() -> Option<Target> {
    let kind = match std::env::var("FERRY_REAL_IDP").ok()?.as_str() {
        "rauthy" => IdpKind::Rauthy,
        "authentik" => IdpKind::Authentik,
        other => panic!("FERRY_REAL_IDP={other}: use rauthy or authentik"),
    };
    let url = env("FERRY_REAL_IDP_URL").trim_end_matches('/').to_owned();
    let secret = match kind {
        IdpKind::Rauthy => env("FERRY_REAL_IDP_KEY"),
        _ => env("FERRY_REAL_IDP_TOKEN"),
    };
    let ca = std::env::var("FERRY_REAL_IDP_CA").ok().map(PathBuf::from);
    let mut http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if let Some(path) = &ca {
        let pem = std::fs::read(path).expect("reads the CA file");
        http = http.add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("a PEM CA"));
    }
    let auth = match kind {
        IdpKind::Rauthy => format!("API-Key {secret}"),
        _ => format!("Bearer {secret}"),
    };
    Some(Target {
        kind,
        url: url.clone(),
        credentials: Credentials::Token {
            token: Secret::new(secret),
        },
        options: Options {
            ca_file: ca,
            ..conformance::options()
        },
        org: Org::new(conformance::ORG, "barn-og-unge.example"),
        admin: Arc::new(Admin::Real(RealAdmin {
            kind,
            base: url,
            auth,
            http: http.build().expect("client"),
            run: format!("c{}", &uuid::Uuid::new_v4().simple().to_string()[..6]),
            keycloak: None,
            mail: Default::default(),
        })),
    })
}

#[tokio::test]
async fn every_scenario_on_the_real_provider() {
    let Some(t) = target() else {
        eprintln!("FERRY_REAL_IDP is not set: nothing to run (see the top of tests/real.rs)");
        return;
    };
    let Admin::Real(admin) = &*t.admin else {
        unreachable!()
    };
    println!("{:?} at {}: {}", t.kind, t.url, admin.version().await);
    let mut failed = Vec::new();
    macro_rules! run {
        ($($name:ident),*) => { run_on_real!(&t, admin, failed; $($name),*) };
    }
    every_scenario!(run);
    if t.kind == IdpKind::Authentik {
        run!(existing_slug);
    }
    admin.reset(&t).await.expect("cleans up");
    assert!(failed.is_empty(), "failed: {failed:?}");
}
