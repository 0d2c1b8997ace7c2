//! Hostile and damaged exports are refused before anything moves, with the file named
//! and the reason in plain words (no server needed).

use std::path::Path;

use ferry_move::source::scan;
use ferry_move::testing::write_zip;
use ferry_move::{MoveError, Refusal, SourceSpec};

fn scan_one(path: &Path) -> Result<(), MoveError> {
    scan(&[SourceSpec {
        path: path.to_owned(),
        person: None,
    }])
    .map(|_| ())
}

#[test]
fn an_entry_that_climbs_out_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("takeout-001.zip");
    write_zip(
        &zip,
        &[
            ("Takeout/Mail/All mail.mbox", b"From x\n\nhi\n"),
            ("Takeout/../../.bashrc", b"rm -rf ~"),
        ],
    );
    let err = scan_one(&zip).unwrap_err();
    assert!(
        matches!(
            &err,
            MoveError::Refused {
                refusal: Refusal::Traversal { .. },
                ..
            }
        ),
        "{err:?}"
    );
    let said = err.to_string();
    assert!(
        said.contains("takeout-001.zip") && said.contains("points outside"),
        "{said}"
    );
}

#[test]
fn a_large_entry_of_zeros_is_refused_as_a_bomb() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("takeout-001.zip");
    // 80 MB packs to about 80 KB: no real Drive file does that.
    let zeros = vec![0u8; 80 << 20];
    write_zip(&zip, &[("Takeout/Drive/huge.bin", &zeros)]);
    assert!(std::fs::metadata(&zip).unwrap().len() < 1 << 20);
    let err = scan_one(&zip).unwrap_err();
    assert!(
        matches!(
            &err,
            MoveError::Refused {
                refusal: Refusal::Bomb { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("huge.bin"), "{err}");
}

#[test]
fn a_cut_off_part_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole.zip");
    write_zip(
        &whole,
        &[(
            "Takeout/Calendar/Styret.ics",
            b"BEGIN:VCALENDAR\nEND:VCALENDAR\n",
        )],
    );
    let bytes = std::fs::read(&whole).unwrap();
    let part = tmp.path().join("takeout-002.zip");
    std::fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();
    let err = scan_one(&part).unwrap_err();
    assert!(matches!(&err, MoveError::NotZip { .. }), "{err:?}");
    assert!(err.to_string().contains("takeout-002.zip"), "{err}");
}
