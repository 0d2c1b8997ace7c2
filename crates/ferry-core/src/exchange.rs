//! `.ferry.json` plan files: what a plan looks like outside the library.
//!
//! A file names its format and schema version, is pretty-printed with keys in a
//! stable order (struct order), and is read back with an error naming the field.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{CoreError, Result};
use crate::model::plan::{self, Plan, SCHEMA_VERSION};

/// Written into every file so that it explains itself when opened elsewhere.
pub const FORMAT: &str = "ferry-plan";
/// What a plan file's name ends with, as Ferry suggests it (the desktop file
/// association and the MIME glob say the same).
pub const PLAN_FILE_SUFFIX: &str = ".ferry.json";
/// The extensions file dialogs filter plan files by: they match the last part only.
pub const PLAN_EXTENSIONS: &[&str] = &["json"];
/// Plan files are a few kilobytes; anything far larger is not one.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct PlanFile {
    format: String,
    schema_version: u64,
    generator: String,
    exported_at: DateTime<Utc>,
    plan: Plan,
}

/// The file text for a plan.
pub fn to_file_text(plan: &Plan) -> String {
    let file = PlanFile {
        format: FORMAT.to_owned(),
        schema_version: SCHEMA_VERSION,
        generator: format!("Ferry {}", env!("CARGO_PKG_VERSION")),
        exported_at: plan::now(),
        plan: plan.clone(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a plan always serialises");
    text.push('\n');
    text
}

/// Reads a plan from file text, checking format, version, every field and the rules.
pub fn parse_file_text(text: &str) -> Result<Plan> {
    let value: Value = serde_json::from_str(text).map_err(|e| CoreError::FileNotJson {
        line: e.line(),
        column: e.column(),
        detail: e.to_string(),
    })?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(CoreError::FileNotFerryPlan);
    }
    let version = value
        .get("schema_version")
        .and_then(Value::as_u64)
        .ok_or_else(|| CoreError::FileFieldInvalid {
            field: "schema_version".into(),
            detail: "must be a whole number".into(),
        })?;
    if version > SCHEMA_VERSION {
        return Err(CoreError::FileFromNewerVersion {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    // Older versions are migrated here once there is more than one.
    let file: PlanFile =
        serde_path_to_error::deserialize(value).map_err(|e| CoreError::FileFieldInvalid {
            field: e.path().to_string(),
            detail: e.inner().to_string(),
        })?;
    let mut plan = file.plan;
    plan.schema_version = SCHEMA_VERSION;
    plan.check().map_err(|problems| {
        CoreError::Invalid(
            problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("plan.{}", p.field);
                    p
                })
                .collect(),
        )
    })?;
    Ok(plan)
}

/// Reads and checks a plan file from disk, refusing anything too large to be one.
pub fn read_plan_file(path: &Path) -> Result<Plan> {
    let file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let mut text = String::new();
    let read = file
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => CoreError::FileNotJson {
                line: 0,
                column: 0,
                detail: "the file is not text (UTF-8)".into(),
            },
            _ => CoreError::io(path, e),
        })?;
    if read as u64 > MAX_FILE_BYTES {
        return Err(CoreError::FileTooLarge {
            limit_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    parse_file_text(&text)
}

/// Writes a plan file atomically: a reader never sees half a file, and a failed
/// write leaves any earlier file at that path as it was.
pub fn write_plan_file(path: &Path, plan: &Plan) -> Result<()> {
    crate::fsutil::write_atomic(path, to_file_text(plan).as_bytes())
        .map_err(|e| CoreError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Language, OrganisationKind};

    fn sample() -> Plan {
        let mut plan = Plan::new("Bergen Fagforening", Language::Nb).unwrap();
        plan.organisation.kind = OrganisationKind::Union;
        plan.organisation.members = Some(2000);
        plan.organisation.countries = vec!["NO".into()];
        plan.organisation.contact.email = "leder@example.no".into();
        plan
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let plan = sample();
        let text = to_file_text(&plan);
        assert_eq!(parse_file_text(&text).unwrap(), plan);
    }

    #[test]
    fn file_is_pretty_and_self_describing_with_stable_key_order() {
        let text = to_file_text(&sample());
        assert!(text.starts_with(
            &format!("{{\n  \"format\": \"ferry-plan\",\n  \"schema_version\": {SCHEMA_VERSION},\n  \"generator\": \"Ferry ")
        ));
        let keys: Vec<_> = text
            .lines()
            .filter(|l| l.starts_with("    \"") && l.contains(':'))
            .map(|l| l.trim().split('"').nth(1).unwrap().to_owned())
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "schema_version",
                "name",
                "created_at",
                "updated_at",
                "revision",
                "language",
                "organisation",
                "tools",
                "needs",
                "recipes",
                "sso",
                "exit_plan",
                "deploy",
                "typed"
            ]
        );
    }

    #[test]
    fn not_json_names_line_and_column() {
        let err = parse_file_text("{\n  \"format\": ").unwrap_err();
        assert!(
            matches!(err, CoreError::FileNotJson { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn other_json_is_not_a_plan() {
        for text in ["[]", "{}", r#"{"format":"something-else"}"#] {
            assert!(
                matches!(parse_file_text(text), Err(CoreError::FileNotFerryPlan)),
                "{text}"
            );
        }
    }

    #[test]
    fn newer_schema_is_refused_saying_so() {
        let now = format!("\"schema_version\": {SCHEMA_VERSION}");
        let text = to_file_text(&sample()).replacen(&now, "\"schema_version\": 7", 1);
        let err = parse_file_text(&text).unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::FileFromNewerVersion {
                    found: 7,
                    supported: SCHEMA_VERSION
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer Ferry"));
    }

    #[test]
    fn wrong_type_names_the_field() {
        let text = to_file_text(&sample()).replace("\"members\": 2000", "\"members\": \"many\"");
        match parse_file_text(&text).unwrap_err() {
            CoreError::FileFieldInvalid { field, .. } => {
                assert_eq!(field, "plan.organisation.members")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_rules_name_the_field() {
        let text = to_file_text(&sample()).replace("leder@example.no", "not an email");
        match parse_file_text(&text).unwrap_err() {
            CoreError::Invalid(p) => assert_eq!(p[0].field, "plan.organisation.contact.email"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn writing_is_atomic_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("plan{PLAN_FILE_SUFFIX}"));
        let plan = sample();
        write_plan_file(&path, &plan).unwrap();
        assert_eq!(read_plan_file(&path).unwrap(), plan);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp files left"
        );
    }

    #[test]
    fn a_suggested_name_passes_the_dialog_filter() {
        let shown = |ext: &&str| PLAN_FILE_SUFFIX.ends_with(&format!(".{ext}"));
        assert!(PLAN_EXTENSIONS.iter().any(shown));
    }

    #[test]
    fn huge_and_binary_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; (MAX_FILE_BYTES + 10) as usize]).unwrap();
        assert!(matches!(
            read_plan_file(&big),
            Err(CoreError::FileTooLarge { .. })
        ));
        let bin = dir.path().join("bin.json");
        std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x81]).unwrap();
        assert!(matches!(
            read_plan_file(&bin),
            Err(CoreError::FileNotJson { .. })
        ));
        let missing = dir.path().join("missing.json");
        assert_eq!(read_plan_file(&missing).unwrap_err().code(), "io.failed");
    }
}
