//! An identity provider's JSON answer (a client, a provider, a list of them) as
//! Keycloak's, Authentik's and Rauthy's readers decode it, and the update each builds
//! from it: whatever comes back, no panic, no runaway.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferry_sso::fuzz_decode_answer(data);
});
