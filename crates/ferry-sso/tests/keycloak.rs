//! The conformance scenarios (tests/conformance) on a REAL Keycloak, in every
//! `make test`: `scripts/keycloak run` starts the pinned Keycloak on loopback beside
//! cargo test and stops it after. Every scenario of `every_scenario!` runs here, one
//! after the other, each from a Keycloak with only its master realm; the same list
//! runs on the contract server in tests/contract.rs, so both must agree.

mod conformance;

use conformance::Admin;
use conformance::keycloak_server::{self, target};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_on_the_real_keycloak() {
    let Some(kc) = keycloak_server::keycloak().await else {
        return;
    };
    let t = target(&kc);
    let Admin::Real(admin) = &t.admin else {
        unreachable!()
    };
    println!(
        "{} at {} (ready {} s after its start command)",
        admin.version().await,
        t.url,
        kc.startup_seconds
    );
    let mut failed = Vec::new();
    let all = std::time::Instant::now();
    macro_rules! run {
        ($($name:ident),*) => {$(
            admin.reset(&t).await.expect("removes the realms earlier scenarios made");
            let started = std::time::Instant::now();
            let result = conformance::$name(&t).await;
            let ms = started.elapsed().as_millis();
            match &result {
                Ok(()) => println!("| {} | passed | {ms} ms |", stringify!($name)),
                Err(e) => {
                    println!("| {} | FAILED: {e} | {ms} ms |", stringify!($name));
                    failed.push(stringify!($name));
                }
            }
        )*};
    }
    every_scenario!(run);
    admin.reset(&t).await.expect("cleans up");
    println!("all scenarios: {} ms", all.elapsed().as_millis());
    assert!(failed.is_empty(), "failed on the real Keycloak: {failed:?}");
}
