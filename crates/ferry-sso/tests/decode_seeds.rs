//! The seeds (and crash regressions) of the `idp_decode` fuzz target (real-shaped answers of each provider,
//! in fuzz/seeds/) go through the same decoding in `make test`, so the target's entry
//! point cannot rot; `scripts/fuzz` explores from them.

#[test]
fn every_seed_answer_decodes_without_a_panic() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz");
    let mut seen = 0;
    // The seeds, and the inputs the fuzzer once crashed on (fuzz/regressions/).
    for dir in ["seeds/idp_decode", "regressions/idp_decode"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let body = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
            ferry_sso::fuzz_decode_answer(&body);
            seen += 1;
        }
    }
    assert!(seen >= 5, "the seeds and regressions are there");
    // Deep nesting is refused by the JSON reader's limit, not by a stack overflow.
    let deep = "[".repeat(100_000);
    ferry_sso::fuzz_decode_answer(deep.as_bytes());
}
