//! TypeScript declarations of every type that crosses into the UI.
//!
//! `ui/src/lib/bindings.ts` is generated from this list and committed; the test
//! below fails when the committed file differs from what the Rust types say.
//! Regenerate with `FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-core bindings`.

use ts_rs::{Config, TS};

use crate::error::ErrorPayload;
use crate::library::PlanSummary;
use crate::model::organisation::{
    Contact, DataSensitivity, Organisation, OrganisationKind, TechnicalCapacity,
};
use crate::model::plan::{Language, Plan, PlanId};
use crate::model::slots::{
    Decision, DeployRecord, ExitPlan, NeedEntry, NeedsBoard, Priority, RecipeChoice, RecipeChoices,
    SsoSetup, ToolInventory,
};
use crate::settings::AppSettings;
use crate::validate::{COMMON_LANGUAGES, COUNTRY_CODES, FieldProblem};

/// Reference lists the UI offers in pickers; their names come from `Intl.DisplayNames`.
fn const_list(name: &str, items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!(
        "\nexport const {name} = [{}] as const;\n",
        quoted.join(", ")
    )
}

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The whole generated file.
pub fn typescript() -> String {
    // serde_json writes u64 as a JSON number, so the UI sees `number`.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        decl::<PlanId>(&cfg),
        decl::<Language>(&cfg),
        decl::<OrganisationKind>(&cfg),
        decl::<TechnicalCapacity>(&cfg),
        decl::<DataSensitivity>(&cfg),
        decl::<Contact>(&cfg),
        decl::<Organisation>(&cfg),
        decl::<ToolInventory>(&cfg),
        decl::<Priority>(&cfg),
        decl::<NeedEntry>(&cfg),
        decl::<NeedsBoard>(&cfg),
        decl::<Decision>(&cfg),
        decl::<RecipeChoice>(&cfg),
        decl::<RecipeChoices>(&cfg),
        decl::<SsoSetup>(&cfg),
        decl::<ExitPlan>(&cfg),
        decl::<DeployRecord>(&cfg),
        decl::<Plan>(&cfg),
        decl::<PlanSummary>(&cfg),
        decl::<FieldProblem>(&cfg),
        decl::<ErrorPayload>(&cfg),
        decl::<AppSettings>(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/ferry-core by `cargo test -p ferry-core bindings`.\n// Do not edit: change the Rust type and regenerate (see crates/ferry-core/src/bindings.rs).\n\n",
    );
    out.push_str(&decls.join("\n"));
    out.push_str(&const_list("COUNTRY_CODES", COUNTRY_CODES));
    out.push_str(&const_list("COMMON_LANGUAGES", COMMON_LANGUAGES));
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_are_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("FERRY_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date with the Rust types; run\n  FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-core bindings\nand commit the result"
        );
    }
}
