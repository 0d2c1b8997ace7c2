//! The seeds of the `idp_decode` fuzz target (real-shaped answers of each provider,
//! in fuzz/seeds/) go through the same decoding in `make test`, so the target's entry
//! point cannot rot; `scripts/fuzz` explores from them.

#[test]
fn every_seed_answer_decodes_without_a_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/idp_decode");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let body = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
        ferry_sso::fuzz_decode_answer(&body);
        seen += 1;
    }
    assert!(seen >= 4, "the seeds are there");
    // Deep nesting is refused by the JSON reader's limit, not by a stack overflow.
    let deep = "[".repeat(100_000);
    ferry_sso::fuzz_decode_answer(deep.as_bytes());
}
