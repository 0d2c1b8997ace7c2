//! An identity provider's answer body as Ferry reads it for the reason of a refusal
//! (Keycloak, Authentik and Rauthy JSON shapes, HTML error pages, anything else).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reason = ferry_sso::fuzz_reason_of(data);
    // Shown to a person: short, whatever came in.
    assert!(
        reason.chars().count() <= 201,
        "reason too long: {}",
        reason.len()
    );
});
