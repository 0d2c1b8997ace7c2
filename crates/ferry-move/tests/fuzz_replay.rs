//! The seeds of the `move_mbox`, `move_ics` and `move_vcf` fuzz targets (real-shaped
//! files, in fuzz/seeds/) and every input they once crashed on (fuzz/regressions/) go
//! through the targets' own checks in `make test`, so a fixed parser stays fixed and
//! the targets' entry points cannot rot; `scripts/fuzz` explores from them.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut seen = 0;
    for dir in ["seeds", "regressions"] {
        // A target without a crash found has no regressions folder.
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            eprintln!("{}", path.display());
            check(&bytes);
            seen += 1;
        }
    }
    seen
}

#[test]
fn mbox_seeds_and_regressions() {
    assert!(replay("move_mbox", ferry_move::fuzz::mbox) >= 3);
}

#[test]
fn ics_seeds_and_regressions() {
    assert!(replay("move_ics", ferry_move::fuzz::ics) >= 3);
}

#[test]
fn vcf_seeds_and_regressions() {
    assert!(replay("move_vcf", ferry_move::fuzz::vcf) >= 3);
}
