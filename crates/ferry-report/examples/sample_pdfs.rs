//! Writes the exit plan of each example organisation in each language, and the
//! request to a hosting co-op (from an organisation whose name has an emoji and
//! characters XML escapes), as PDFs into the folder given (for veraPDF and for
//! looking at): `cargo run -p ferry-report --example sample_pdfs -- DIR`.

use std::path::PathBuf;

use ferry_core::Language;
use ferry_core::examples::{Example, build};

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: sample_pdfs DIR"));
    std::fs::create_dir_all(&dir).expect("the folder can be made");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a real date");
    let catalogue = ferry_catalogue::Store::new(&dir.join("no-catalogue")).load();
    for lang in Language::ALL {
        for example in Example::ALL {
            let plan = build(example, lang);
            let doc = ferry_report::build(&plan, &catalogue, today);
            let name = format!("plan-{}-{}.pdf", example.key(), lang.code());
            std::fs::write(
                dir.join(name),
                ferry_report::pdf::render(&doc).expect("made"),
            )
            .expect("written");
        }
        let mut plan = build(Example::PatientGroup, lang);
        // Text a user might type that the fonts or XML cannot hold as it is.
        plan.organisation.name = "Grupo \u{1F30D} <Ávila & Co> \u{7}".into();
        let doc = ferry_report::request::build(&plan, today);
        let name = format!("request-{}.pdf", lang.code());
        std::fs::write(
            dir.join(name),
            ferry_report::pdf::render(&doc).expect("made"),
        )
        .expect("written");
    }
}
