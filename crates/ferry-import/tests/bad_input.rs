//! Bad input: each a clear error with a stable code and the line, and nothing changes.

mod common;

use common::{error_of, fixture};
use ferry_import::Importer;

fn users_en() -> Vec<u8> {
    std::fs::read(fixture("google/users_en.csv")).unwrap()
}

#[test]
fn empty_files_are_named_empty() {
    for bytes in [&b""[..], b"   \r\n\r\n", b"\xEF\xBB\xBF", b"\xFF\xFE"] {
        assert_eq!(error_of("x.csv", bytes).code(), "import.empty", "{bytes:?}");
    }
    let header_only = b"Email Address [Required],First Name [Required],Status [READ ONLY]\r\n";
    assert_eq!(error_of("x.csv", header_only).code(), "import.no_rows");
}

#[test]
fn a_file_from_another_product_names_its_columns() {
    let bytes = std::fs::read(fixture("other/mailchimp_audience.csv")).unwrap();
    let e = error_of("audience.csv", &bytes);
    assert_eq!(e.code(), "import.unknown_format");
    assert!(e.to_string().contains("MEMBER_RATING"), "{e}");
}

#[test]
fn a_file_cut_off_in_the_last_row_is_truncated_at_that_line() {
    let bytes = users_en();
    let cut = &bytes[..bytes.len() - 60];
    let e = error_of("users.csv", cut);
    assert_eq!((e.code(), e.line()), ("import.truncated", Some(6)), "{e}");
    // An open quote that never closes swallows the rest: also a cut-off file.
    let mut open = bytes.clone();
    open.extend_from_slice(b"\"Unclosed,Quote,x@lag.example");
    assert_eq!(error_of("users.csv", &open).code(), "import.truncated");
}

#[test]
fn a_short_row_in_the_middle_names_its_line() {
    let text = String::from_utf8(users_en()).unwrap();
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    lines[2] = "Ola,Hansen,ola@lag.example";
    let e = error_of("users.csv", lines.join("\r\n").as_bytes());
    assert_eq!((e.code(), e.line()), ("import.row_shape", Some(3)), "{e}");
}

#[test]
fn a_binary_file_is_not_text() {
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\x00\x01";
    let e = error_of("report.csv", pdf);
    assert_eq!((e.code(), e.line()), ("import.not_text", Some(4)), "{e}");
}

#[test]
fn a_value_that_is_no_size_names_line_and_column() {
    let text = std::fs::read_to_string(fixture("m365/mailbox_usage_en.csv")).unwrap();
    let bad = text.replacen("12884901888", "lots", 1);
    let e = error_of("mailbox.csv", bad.as_bytes());
    assert_eq!((e.code(), e.line()), ("import.bad_value", Some(2)));
    assert!(e.to_string().contains("Storage Used (Byte)"), "{e}");
}

#[test]
fn zips_that_are_not_takeout_or_are_damaged() {
    let mut plain = Vec::new();
    ferry_import::takeout::write_index_only_zip(&mut plain, &[("photos/a.jpg".into(), 10)])
        .unwrap();
    assert_eq!(error_of("x.zip", &plain).code(), "import.not_takeout");
    let mut takeout = Vec::new();
    ferry_import::takeout::write_index_only_zip(
        &mut takeout,
        &[("Takeout/Drive/a.pdf".into(), 10)],
    )
    .unwrap();
    let cut = &takeout[..takeout.len() - 30];
    assert_eq!(error_of("takeout.zip", cut).code(), "import.not_zip");
    let e = error_of("takeout-001.tgz", b"\x1f\x8b\x08");
    assert_eq!(e.code(), "import.tgz");
}

#[test]
fn a_failed_file_leaves_the_import_as_it_was() {
    let mut import = Importer::default();
    import.add_path(&fixture("google/users_en.csv")).unwrap();
    let before = serde_json::to_string(&import.preview()).unwrap();
    let bytes = users_en();
    assert!(
        import
            .add_bytes("users.csv", &bytes[..bytes.len() - 60])
            .is_err()
    );
    assert!(
        import
            .add_bytes("audience.csv", b"Name,Phone\nA,1\n")
            .is_err()
    );
    assert_eq!(serde_json::to_string(&import.preview()).unwrap(), before);
}

#[test]
fn fifty_thousand_rows_read_in_full() {
    let mut text = String::from_utf8(users_en()).unwrap();
    let header_end = text.find("\r\n").unwrap() + 2;
    let template = text[header_end..].split("\r\n").next().unwrap().to_owned();
    text.truncate(header_end);
    for i in 0..50_000 {
        text.push_str(&template.replace("kari@", &format!("k{i}@")));
        text.push_str("\r\n");
    }
    let mut import = Importer::default();
    import.add_bytes("big.csv", text.as_bytes()).unwrap();
    let p = import.preview();
    assert_eq!((p.people, p.files[0].rows), (50_000, 50_000));
    assert_eq!(p.tool("google_drive").unwrap().power_users, 50_000);
}

/// Inputs the import_export fuzz target once crashed on (fuzz/regressions/), each read
/// again here: a preview or a clear error, never a panic.
#[test]
fn fuzz_regressions_read_without_a_panic() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/regressions/import_export"
    );
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut import = ferry_import::Importer::default();
        if import.add_bytes("export.csv", &bytes).is_ok() {
            let _ = serde_json::to_string(&import.preview()).unwrap();
        }
        seen += 1;
    }
    assert!(seen >= 1);
}
