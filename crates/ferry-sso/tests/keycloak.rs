//! The conformance scenarios (tests/conformance) on a REAL Keycloak, in every
//! `make test`: `scripts/keycloak run` starts the pinned Keycloak on loopback beside
//! cargo test and stops it after. Every scenario of `every_scenario!` runs here, one
//! after the other, each from a Keycloak with only its master realm; the same list
//! runs on the contract server in tests/contract.rs, so both must agree.
//! `FERRY_REAL_ONLY=a,b` runs only those scenarios.

mod conformance;

use conformance::Admin;
use conformance::keycloak_server::{self, target};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_on_the_real_keycloak() {
    let Some(kc) = keycloak_server::keycloak().await else {
        return;
    };
    let t = target(&kc);
    let Admin::Real(admin) = &*t.admin else {
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
        ($($name:ident),*) => { run_on_real!(&t, admin, failed; $($name),*) };
    }
    every_scenario!(run);
    run!(keycloak_flows_owned);
    admin.reset(&t).await.expect("cleans up");
    println!("all scenarios: {} ms", all.elapsed().as_millis());
    assert!(failed.is_empty(), "failed on the real Keycloak: {failed:?}");
}
