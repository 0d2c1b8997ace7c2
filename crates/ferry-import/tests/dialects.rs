//! Whatever dialect a user list is saved in (separator, encoding, line ends, quoting,
//! decimal mark), it reads back to the same people and sizes.

use ferry_import::Importer;
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Windows1252,
}

fn name() -> impl Strategy<Value = String> {
    // Letters Windows-1252 can hold, and the characters that force quoting.
    proptest::string::string_regex("[A-Za-zÆØÅæøåÄÖÜäöüßé][A-Za-zæøåäöüé ,;'\"-]{0,14}").unwrap()
}

fn person() -> impl Strategy<Value = (String, String, u32)> {
    (name(), name(), 0u32..5000)
}

fn quote(field: &str, sep: char) -> String {
    if field.contains([sep, '"', '\n', ',', ';']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_dialect_reads_the_same(
        people in proptest::collection::vec(person(), 1..30),
        sep in prop::sample::select(vec![',', ';', '\t']),
        crlf in any::<bool>(),
        decimal_comma in any::<bool>(),
        encoding in prop::sample::select(vec![Encoding::Utf8, Encoding::Utf8Bom, Encoding::Utf16LeBom, Encoding::Windows1252]),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let header = ["First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Status [READ ONLY]", "Drive Usage [READ ONLY]"];
        let mut text = header.map(|h| quote(h, sep)).join(&sep.to_string());
        text.push_str(eol);
        let mut expected_bytes = 0u64;
        for (i, (first, last, tenths_gb)) in people.iter().enumerate() {
            let size = format!("{}.{} GB", tenths_gb / 10, tenths_gb % 10);
            let size = if decimal_comma { size.replace('.', ",") } else { size };
            expected_bytes += (f64::from(*tenths_gb) / 10.0 * (1u64 << 30) as f64).round() as u64;
            let row = [first.as_str(), last.as_str(), &format!("p{i}@example.org"), "Active", &size];
            text.push_str(&row.map(|f| quote(f, sep)).join(&sep.to_string()));
            text.push_str(eol);
        }
        let bytes = match encoding {
            Encoding::Utf8 => text.clone().into_bytes(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16LeBom => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
            Encoding::Windows1252 => encoding_1252(&text),
        };
        let mut import = Importer::default();
        import.add_bytes("users.csv", &bytes).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let preview = import.preview();
        prop_assert_eq!(preview.people, people.len() as u64);
        let names: Vec<String> = preview.members().into_iter().map(|m| m.name).collect();
        let mut want: Vec<(String, String)> = people.iter().enumerate()
            .map(|(i, (f, l, _))| (format!("p{i}@example.org"), format!("{} {}", f.trim(), l.trim()).trim().to_owned()))
            .collect();
        want.sort();
        prop_assert_eq!(names, want.into_iter().map(|(_, n)| n).collect::<Vec<_>>());
        let drive = preview.tool("google_drive").map_or(0, |t| t.bytes);
        // Each size rounds to a whole byte on its own.
        prop_assert!(drive.abs_diff(expected_bytes) <= people.len() as u64, "{} vs {}", drive, expected_bytes);
    }
}

/// Windows-1252 for the characters the strategy uses (all in Latin-1's range).
fn encoding_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
        .collect()
}
