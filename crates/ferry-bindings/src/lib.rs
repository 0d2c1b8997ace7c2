//! TypeScript declarations of every type that crosses into the UI.
//!
//! `ui/src/lib/bindings.ts` is generated from this list and committed; the test
//! below fails when the committed file differs from what the Rust types say.
//! Regenerate with `make bindings` (`FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-bindings`).

pub mod commands;

use ts_rs::{Config, TS};

use ferry_catalogue::recipe::{ImageInfo, RecipeVersion};
use ferry_catalogue::recommend::{
    NeedAdvice, Reason, RecipeOption, Recommendation, Warning, Weight,
};
use ferry_catalogue::{
    Catalogue, Feature, Origin, OriginKind, Progress, Recipe, Recipes, RefreshOutcome, Score,
    Status,
};
use ferry_core::deploy::PreviewApp;
use ferry_core::error::ErrorPayload;
use ferry_core::examples::Example;
use ferry_core::exit::{ExitDefaults, ExportPlan, Gap, ServiceDefault, TriggerDefault};
use ferry_core::library::{Draft, PlanSummary, SaveOutcome};
use ferry_core::model::exit_plan::{
    BackupFrequency, Backups, Budget, CredentialHolder, Credentials, DrillResult, ExitPath,
    ExitPlan, Impact, Person, Phase, RestoreDrill, ServiceExit, Trigger, TriggerPlan,
};
use ferry_core::model::organisation::{
    BudgetBand, Contact, CurrentProvider, DataSensitivity, Organisation, OrganisationKind,
    SpecialCategory, TechnicalCapacity,
};
use ferry_core::model::plan::{Language, Plan, PlanId};
use ferry_core::model::slots::{AppDomain, OrderRecord};
use ferry_core::model::slots::{DataVolume, DotVote, Reach, ToolUse};
use ferry_core::model::slots::{
    Decision, DeployRecord, NeedEntry, NeedsBoard, Priority, RecipeChoice, RecipeChoices, SsoSetup,
    ToolInventory,
};
use ferry_core::model::slots::{IdpKind, SsoAppResult};
use ferry_core::needs::{Candidate, ExportFacts, Fit, NeedDef, NeedGroup, Replaces, Taxonomy};
use ferry_core::settings::AppSettings;
use ferry_core::settings::CoopProfile;
use ferry_core::tools::{Suite, ToolCatalogue, ToolDef};
use ferry_core::validate::{COMMON_LANGUAGES, COUNTRY_CODES, FieldProblem};
use ferry_core::workshop::{CrossView, ExportFormat as WorkshopFormat, NeedRow, OrgColumn};
use ferry_hosting::{AppState as HostedAppState, AppStatus, OrderStatus};
use ferry_report::DocumentFormat;
use ferry_sso::apply::{ApplyReport, Progress as SsoProgress, StepOutcome};
use ferry_sso::desired::{ClientSettings, Desired, DesiredClient, SkipReason, Skipped};
use ferry_sso::diff::Change;
use ferry_sso::members::{Member, MemberList, MemberOutcome, RowProblem};
use ferry_sso::provider::Invite;
use ferry_sso::session::{AdminLogin, IdpSuggestion, LoginMethod, SsoOutcome, SsoOverview};
use ferry_sso::settings::AppSetting;
use ferry_sso::verify::{AppCheck, AppProblem, Endpoints};

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
        decl::<CurrentProvider>(&cfg),
        decl::<SpecialCategory>(&cfg),
        decl::<BudgetBand>(&cfg),
        decl::<Contact>(&cfg),
        decl::<Organisation>(&cfg),
        decl::<Reach>(&cfg),
        decl::<DataVolume>(&cfg),
        decl::<ToolUse>(&cfg),
        decl::<ToolInventory>(&cfg),
        decl::<Suite>(&cfg),
        decl::<ToolDef>(&cfg),
        decl::<ToolCatalogue>(&cfg),
        decl::<Priority>(&cfg),
        decl::<NeedEntry>(&cfg),
        decl::<DotVote>(&cfg),
        decl::<NeedsBoard>(&cfg),
        decl::<Decision>(&cfg),
        decl::<RecipeChoice>(&cfg),
        decl::<RecipeChoices>(&cfg),
        decl::<SsoSetup>(&cfg),
        decl::<Trigger>(&cfg),
        decl::<ExitPath>(&cfg),
        decl::<TriggerPlan>(&cfg),
        decl::<Impact>(&cfg),
        decl::<ServiceExit>(&cfg),
        decl::<Person>(&cfg),
        decl::<Credentials>(&cfg),
        decl::<CredentialHolder>(&cfg),
        decl::<BackupFrequency>(&cfg),
        decl::<Backups>(&cfg),
        decl::<DrillResult>(&cfg),
        decl::<RestoreDrill>(&cfg),
        decl::<Phase>(&cfg),
        decl::<Budget>(&cfg),
        decl::<ExitPlan>(&cfg),
        decl::<Gap>(&cfg),
        decl::<ExportPlan>(&cfg),
        decl::<TriggerDefault>(&cfg),
        decl::<ServiceDefault>(&cfg),
        decl::<ExitDefaults>(&cfg),
        decl::<Example>(&cfg),
        decl::<OrgColumn>(&cfg),
        decl::<NeedRow>(&cfg),
        decl::<CrossView>(&cfg),
        decl::<WorkshopFormat>(&cfg),
        decl::<DocumentFormat>(&cfg),
        decl::<HostedAppState>(&cfg),
        decl::<AppStatus>(&cfg),
        decl::<OrderStatus>(&cfg),
        decl::<AppDomain>(&cfg),
        decl::<OrderRecord>(&cfg),
        decl::<DeployRecord>(&cfg),
        decl::<PreviewApp>(&cfg),
        decl::<CoopProfile>(&cfg),
        decl::<Plan>(&cfg),
        decl::<PlanSummary>(&cfg),
        decl::<SaveOutcome>(&cfg),
        decl::<Draft>(&cfg),
        decl::<ferry_core::progress::StepId>(&cfg),
        decl::<ferry_core::progress::StepStatus>(&cfg),
        decl::<ferry_core::progress::StepProgress>(&cfg),
        decl::<ferry_core::progress::PlanStatus>(&cfg),
        decl::<FieldProblem>(&cfg),
        decl::<ErrorPayload>(&cfg),
        decl::<AppSettings>(&cfg),
        // The needs taxonomy
        decl::<NeedGroup>(&cfg),
        decl::<Fit>(&cfg),
        decl::<Replaces>(&cfg),
        decl::<Candidate>(&cfg),
        decl::<ExportFacts>(&cfg),
        decl::<NeedDef>(&cfg),
        decl::<Taxonomy>(&cfg),
        // The recipe catalogue
        decl::<Score>(&cfg),
        decl::<Feature>(&cfg),
        decl::<Status>(&cfg),
        decl::<ImageInfo>(&cfg),
        decl::<RecipeVersion>(&cfg),
        decl::<Recipe>(&cfg),
        decl::<Recipes>(&cfg),
        decl::<OriginKind>(&cfg),
        decl::<Origin>(&cfg),
        decl::<Catalogue>(&cfg),
        decl::<Progress>(&cfg),
        decl::<RefreshOutcome>(&cfg),
        // Recommendations
        decl::<Weight>(&cfg),
        decl::<Reason>(&cfg),
        decl::<Warning>(&cfg),
        decl::<RecipeOption>(&cfg),
        decl::<NeedAdvice>(&cfg),
        decl::<Recommendation>(&cfg),
        // Single sign-on
        decl::<IdpKind>(&cfg),
        decl::<SsoAppResult>(&cfg),
        decl::<ClientSettings>(&cfg),
        decl::<DesiredClient>(&cfg),
        decl::<SkipReason>(&cfg),
        decl::<Skipped>(&cfg),
        decl::<Desired>(&cfg),
        decl::<Change>(&cfg),
        decl::<SsoProgress>(&cfg),
        decl::<StepOutcome>(&cfg),
        decl::<ApplyReport>(&cfg),
        decl::<Endpoints>(&cfg),
        decl::<AppProblem>(&cfg),
        decl::<AppCheck>(&cfg),
        decl::<IdpSuggestion>(&cfg),
        decl::<SsoOverview>(&cfg),
        decl::<SsoOutcome>(&cfg),
        decl::<LoginMethod>(&cfg),
        decl::<AdminLogin>(&cfg),
        decl::<AppSetting>(&cfg),
        decl::<Member>(&cfg),
        decl::<RowProblem>(&cfg),
        decl::<MemberList>(&cfg),
        decl::<Invite>(&cfg),
        decl::<MemberOutcome>(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the engine's Rust types by `make bindings`.\n// Do not edit: change the Rust type and regenerate (see crates/ferry-bindings).\n\n",
    );
    out.push_str(&decls.join("\n"));
    out.push_str(&const_list("COUNTRY_CODES", COUNTRY_CODES));
    out.push_str(&const_list("COMMON_LANGUAGES", COMMON_LANGUAGES));
    // Every code a command may fail with: each needs `error.<code>` in every catalogue.
    out.push_str(&const_list(
        "ERROR_CODES",
        &ferry_api::ApiError::all_codes(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Compares a committed generated file with what the Rust side says now
    /// (and rewrites it with FERRY_UPDATE_BINDINGS=1).
    fn check(relative: &str, want: String) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative);
        if std::env::var_os("FERRY_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{relative} is out of date with the Rust side; run\n  make bindings\n(FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-bindings) and commit the result"
        );
    }

    #[test]
    fn bindings_are_up_to_date() {
        check("ui/src/lib/bindings.ts", super::typescript());
    }

    #[test]
    fn command_client_is_up_to_date() {
        check("ui/src/lib/commands.ts", super::commands::client());
    }

    #[test]
    fn command_permissions_are_up_to_date() {
        check("src-tauri/commands.generated.txt", super::commands::names());
        check(
            "src-tauri/capabilities/commands.json",
            super::commands::capability(),
        );
    }
}
