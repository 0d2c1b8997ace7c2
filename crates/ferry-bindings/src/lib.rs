//! TypeScript declarations of every type that crosses into the UI.
//!
//! `ui/src/lib/bindings.ts` is generated from this list and committed; the test
//! below fails when the committed file differs from what the Rust types say.
//! Regenerate with `make bindings` (`FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-bindings`).

pub mod commands;

use serde::Serialize;
use ts_rs::{Config, TS};

use ferry_catalogue::assess::{Assessment, Maturity, Presence, SsoSupport, Tone, Tones};
use ferry_catalogue::recipe::{ImageInfo, RecipeVersion};
use ferry_catalogue::recommend::{
    NeedAdvice, Reason, RecipeOption, Recommendation, Warning, Weight,
};
use ferry_catalogue::score::MAX_STATUS_LEVEL;
use ferry_catalogue::{
    Catalogue, Feature, Origin, OriginKind, Progress, Recipe, Recipes, RefreshOutcome, Score,
    Status,
};
use ferry_core::deploy::PreviewApp;
use ferry_core::directories::CoopDirectory;
use ferry_core::error::ErrorPayload;
use ferry_core::examples::Example;
use ferry_core::exit::{ChosenApp, ExitDefaults, ExportPlan, Gap, ServiceDefault, TriggerDefault};
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
use ferry_core::model::slots::{DataVolume, Reach, ToolUse};
use ferry_core::model::slots::{
    Decision, DeployRecord, NeedEntry, NeedsBoard, Priority, RecipeChoice, RecipeChoices, SsoSetup,
    ToolInventory,
};
use ferry_core::model::slots::{IdpKind, SsoAppResult};
use ferry_core::model::vote::{DotVote, UndoKind, Vote, VoteUndo};
use ferry_core::moves::{
    DataKind, KindReport, LeftBehind, MoveMode, MoveReport, PersonReport, Reason as MoveReason,
    ReasonCount, Verified,
};
use ferry_core::needs::{Candidate, ExportFacts, Fit, NeedDef, NeedGroup, Replaces, Taxonomy};
use ferry_core::settings::AppSettings;
use ferry_core::settings::CoopProfile;
use ferry_core::tools::{Suite, SuiteShown, ToolCatalogue, ToolDef};
use ferry_core::validate::{COMMON_LANGUAGES, COUNTRY_CODES, FieldProblem};
use ferry_core::vote::{RoomMerge, VoteAction, VoteStatus};
use ferry_core::workshop::{CrossView, ExportFormat as WorkshopFormat, NeedRow, OrgColumn};
use ferry_hosting::{AppState as HostedAppState, AppStatus, DeployStage, OrderStatus};
use ferry_report::DocumentFormat;
use ferry_sso::apply::{ApplyReport, Progress as SsoProgress, StepOutcome};
use ferry_sso::desired::{
    ClientSettings, Desired, DesiredClient, DesiredGroup, SkipReason, Skipped,
};
use ferry_sso::diff::{Change, Extras, Preview as SsoPlan};
use ferry_sso::members::{Member, MemberList, MemberOutcome, RowProblem};
use ferry_sso::names::{RenameKind, Renamed};
use ferry_sso::owner::{Conflict, ObjectKind, Orphan, Owner};
use ferry_sso::provider::Invite;
use ferry_sso::session::{AdminLogin, IdpSuggestion, LoginMethod, SsoOutcome, SsoOverview};
use ferry_sso::settings::AppSetting;
use ferry_sso::trust::Authority;
use ferry_sso::verify::{AppCheck, AppProblem, Endpoints};

/// Reference lists the UI offers in pickers; their names come from `Intl.DisplayNames`.
fn const_list(name: &str, items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!(
        "\nexport const {name} = [{}] as const;\n",
        quoted.join(", ")
    )
}

/// The values of a choice enum, from its `ALL` list, for the UI to offer in that order.
/// Panics (failing the bindings test) when `all` misses a value the type has.
fn enum_list<T: TS + Serialize>(name: &str, all: &[T], cfg: &Config) -> String {
    let values: Vec<String> = all.iter().map(json).collect();
    let inline = T::inline(cfg);
    let mut declared: Vec<&str> = inline.split(" | ").collect();
    let mut listed: Vec<&str> = values.iter().map(String::as_str).collect();
    declared.sort_unstable();
    listed.sort_unstable();
    assert_eq!(listed, declared, "{name} must list every value of {inline}");
    format!(
        "\nexport const {name} = [{}] as const;\n",
        values.join(", ")
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
        decl::<SuiteShown>(&cfg),
        decl::<Priority>(&cfg),
        decl::<NeedEntry>(&cfg),
        decl::<DotVote>(&cfg),
        decl::<Vote>(&cfg),
        decl::<UndoKind>(&cfg),
        decl::<VoteUndo>(&cfg),
        decl::<NeedsBoard>(&cfg),
        decl::<VoteAction>(&cfg),
        decl::<VoteStatus>(&cfg),
        decl::<RoomMerge>(&cfg),
        decl::<CoopDirectory>(&cfg),
        decl::<ferry_api::vote::VoteAnswer>(&cfg),
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
        decl::<ChosenApp>(&cfg),
        decl::<ExitDefaults>(&cfg),
        decl::<Example>(&cfg),
        decl::<OrgColumn>(&cfg),
        decl::<NeedRow>(&cfg),
        decl::<CrossView>(&cfg),
        decl::<WorkshopFormat>(&cfg),
        decl::<DocumentFormat>(&cfg),
        decl::<HostedAppState>(&cfg),
        decl::<DeployStage>(&cfg),
        decl::<AppStatus>(&cfg),
        decl::<OrderStatus>(&cfg),
        decl::<AppDomain>(&cfg),
        decl::<OrderRecord>(&cfg),
        decl::<ferry_core::model::SignInOrder>(&cfg),
        decl::<ferry_hosting::Handover>(&cfg),
        decl::<ferry_hosting::HandoverLogin>(&cfg),
        decl::<DataKind>(&cfg),
        decl::<MoveMode>(&cfg),
        decl::<MoveReason>(&cfg),
        decl::<ReasonCount>(&cfg),
        decl::<Verified>(&cfg),
        decl::<KindReport>(&cfg),
        decl::<PersonReport>(&cfg),
        decl::<LeftBehind>(&cfg),
        decl::<MoveReport>(&cfg),
        decl::<DeployRecord>(&cfg),
        decl::<PreviewApp>(&cfg),
        decl::<CoopProfile>(&cfg),
        decl::<Plan>(&cfg),
        decl::<PlanSummary>(&cfg),
        decl::<SaveOutcome>(&cfg),
        decl::<Draft>(&cfg),
        decl::<ferry_core::privacy::PersonalData>(&cfg),
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
        decl::<Tone>(&cfg),
        decl::<Maturity>(&cfg),
        decl::<SsoSupport>(&cfg),
        decl::<Presence>(&cfg),
        decl::<Tones>(&cfg),
        decl::<Assessment>(&cfg),
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
        decl::<Owner>(&cfg),
        decl::<DesiredGroup>(&cfg),
        decl::<RenameKind>(&cfg),
        decl::<Renamed>(&cfg),
        decl::<Desired>(&cfg),
        decl::<ObjectKind>(&cfg),
        decl::<Change>(&cfg),
        decl::<Conflict>(&cfg),
        decl::<Orphan>(&cfg),
        decl::<Extras>(&cfg),
        decl::<SsoPlan>(&cfg),
        decl::<SsoProgress>(&cfg),
        decl::<StepOutcome>(&cfg),
        decl::<ApplyReport>(&cfg),
        decl::<Endpoints>(&cfg),
        decl::<AppProblem>(&cfg),
        decl::<AppCheck>(&cfg),
        decl::<IdpSuggestion>(&cfg),
        decl::<SsoOverview>(&cfg),
        decl::<Authority>(&cfg),
        decl::<SsoOutcome>(&cfg),
        decl::<LoginMethod>(&cfg),
        decl::<AdminLogin>(&cfg),
        decl::<AppSetting>(&cfg),
        decl::<Member>(&cfg),
        decl::<RowProblem>(&cfg),
        decl::<MemberList>(&cfg),
        decl::<Invite>(&cfg),
        decl::<MemberOutcome>(&cfg),
        // The workshop room
        decl::<ferry_core::room::RoomPhase>(&cfg),
        decl::<ferry_core::room::ProposalKind>(&cfg),
        decl::<ferry_core::room::ProposalState>(&cfg),
        decl::<ferry_core::room::Proposal>(&cfg),
        decl::<ferry_core::library::ProposalDecision>(&cfg),
        decl::<ferry_core::library::ProposalCounts>(&cfg),
        decl::<ferry_core::library::RoomPerson>(&cfg),
        decl::<ferry_core::library::Removals>(&cfg),
        decl::<ferry_api::room::NetKind>(&cfg),
        decl::<ferry_api::room::NetInterface>(&cfg),
        decl::<ferry_api::room::Pulse>(&cfg),
        decl::<ferry_api::room::BoardCard>(&cfg),
        decl::<ferry_api::room::BoardOrg>(&cfg),
        decl::<ferry_api::room::RoomBoard>(&cfg),
        decl::<ferry_api::room::RoomCard>(&cfg),
        decl::<ferry_api::room::RoomOrg>(&cfg),
        decl::<ferry_api::room::RoomMe>(&cfg),
        decl::<ferry_api::room::RoomPage>(&cfg),
        decl::<ferry_api::room::RoomJoined>(&cfg),
        decl::<ferry_api::room::RoomAction>(&cfg),
        // Importing the admin console's exports
        decl::<ferry_import::Source>(&cfg),
        decl::<ferry_import::preview::FileSummary>(&cfg),
        decl::<ferry_import::preview::ToolSummary>(&cfg),
        decl::<ferry_import::preview::GroupSummary>(&cfg),
        decl::<ferry_import::preview::Loss>(&cfg),
        decl::<ferry_import::takeout::ProductSummary>(&cfg),
        decl::<ferry_import::takeout::KindSummary>(&cfg),
        decl::<ferry_import::takeout::TakeoutSummary>(&cfg),
        decl::<ferry_import::Preview>(&cfg),
        decl::<ferry_import::Applied>(&cfg),
        decl::<ferry_import::GroupChoice>(&cfg),
        decl::<ferry_import::Choices>(&cfg),
        decl::<ferry_api::import::FileProblem>(&cfg),
        decl::<ferry_api::import::ImportRead>(&cfg),
        decl::<ferry_api::import::ImportDone>(&cfg),
        decl::<ferry_api::deploy::Submitted>(&cfg),
        decl::<ferry_api::arrive::ArriveStep>(&cfg),
        decl::<ferry_api::arrive::ArriveProgress>(&cfg),
        decl::<ferry_api::arrive::Arrived>(&cfg),
        decl::<ferry_api::arrive::ArriveOutlook>(&cfg),
        decl::<ferry_api::moves::MoveTargets>(&cfg),
        decl::<ferry_api::moves::ExportPerson>(&cfg),
        decl::<ferry_api::moves::Moved>(&cfg),
        decl::<ferry_move::plan::MoveSpec>(&cfg),
        decl::<ferry_move::plan::TargetSpec>(&cfg),
        decl::<ferry_move::plan::PersonSpec>(&cfg),
        decl::<ferry_move::plan::Flavour>(&cfg),
        decl::<ferry_move::SourceSpec>(&cfg),
        decl::<ferry_move::Progress>(&cfg),
        decl::<ferry_move::Phase>(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the engine's Rust types by `make bindings`.\n// Do not edit: change the Rust type and regenerate (see crates/ferry-bindings).\n\n",
    );
    out.push_str(&decls.join("\n"));
    out.push_str(&const_list("COUNTRY_CODES", COUNTRY_CODES));
    out.push_str(&const_list("COMMON_LANGUAGES", COMMON_LANGUAGES));
    out.push_str(&const_list("IMPORT_EXTENSIONS", ferry_import::EXTENSIONS));
    out.push_str(&const_list("CA_EXTENSIONS", ferry_sso::trust::EXTENSIONS));
    out.push_str(&const_list(
        "MOVE_EXTENSIONS",
        ferry_move::source::EXTENSIONS,
    ));
    out.push_str(&const_list(
        "PLAN_EXTENSIONS",
        ferry_core::exchange::PLAN_EXTENSIONS,
    ));
    out.push_str(&files());
    // Every code a command may fail with: each needs `error.<code>` in every catalogue.
    out.push_str(&const_list(
        "ERROR_CODES",
        &ferry_api::ApiError::all_codes(),
    ));
    out.push_str(&enum_lists(&cfg));
    out.push_str(&defaults(&cfg));
    out.push_str(&login_methods());
    out.push_str(&room_limits());
    out.push_str(&vote_limits());
    // Letters in a currency code: the most the exit plan's budget field takes.
    out.push_str(&format!(
        "\nexport const CURRENCY_CODE_LENGTH = {};\n",
        ferry_core::currency::CODE_LEN
    ));
    let levels: Vec<String> = (1..=MAX_STATUS_LEVEL).map(|l| l.to_string()).collect();
    // The levels a recipe's status can be asked to reach (the recipes step's filter).
    out.push_str(&format!(
        "\nexport const STATUS_LEVELS = [{}] as const;\n",
        levels.join(", ")
    ));
    out
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("enum values serialise")
}

/// How an admin can sign in to each identity provider, the usual way first.
fn login_methods() -> String {
    let entries: Vec<String> = IdpKind::ALL
        .iter()
        .map(|idp| {
            let methods: Vec<String> = LoginMethod::for_idp(*idp).iter().map(json).collect();
            format!("{}: [{}]", json(idp), methods.join(", "))
        })
        .collect();
    format!(
        "\nexport const LOGIN_METHODS = {{ {} }} as const;\n",
        entries.join(", ")
    )
}

/// How many people and dots a vote at the desk may count (the engine refuses others).
fn vote_limits() -> String {
    use ferry_core::model::vote::{
        MAX_DOTS_EACH, MAX_PARTICIPANTS, MIN_DOTS_EACH, MIN_PARTICIPANTS,
    };
    format!(
        "\nexport const VOTE_LIMITS = {{ minParticipants: {MIN_PARTICIPANTS}, maxParticipants: {MAX_PARTICIPANTS}, minDotsEach: {MIN_DOTS_EACH}, maxDotsEach: {MAX_DOTS_EACH} }} as const;\n"
    )
}

/// `export const NAME: Type = value;`, the value as the engine writes it.
fn typed_const<T: TS + Serialize>(name: &str, value: &T, cfg: &Config) -> String {
    format!(
        "\nexport const {name}: {} = {};\n",
        T::name(cfg),
        json(value)
    )
}

/// `export const NAME = { key: value, ... } as const;` from (key, value) pairs.
fn const_map(name: &str, entries: impl IntoIterator<Item = (String, String)>) -> String {
    let entries: Vec<String> = entries
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    format!(
        "\nexport const {name} = {{ {} }} as const;\n",
        entries.join(", ")
    )
}

/// What the UI starts a choice with when nothing is chosen yet: the engine's defaults.
fn defaults(cfg: &Config) -> String {
    use ferry_core::model::vote::DotVote;
    use ferry_core::room::ProposalKind;
    use ferry_core::vote::RoomMerge;
    let usual_paths = Trigger::ALL.map(|t| (json(&t), json(&t.usual_path())));
    let read_as = Language::READ_AS.map(|(code, l)| (json(&code), json(&l)));
    [
        // The language before one is chosen, and the others whose readers read one of Ferry's.
        typed_const("DEFAULT_LANGUAGE", &Language::default(), cfg),
        const_map("LANGUAGE_READ_AS", read_as),
        typed_const("DEFAULT_IDP", &IdpKind::DEFAULT, cfg),
        typed_const("DEFAULT_DOT_VOTE", &DotVote::DEFAULT, cfg),
        typed_const("DEFAULT_PROPOSAL_KIND", &ProposalKind::default(), cfg),
        typed_const("DEFAULT_ROOM_MERGE", &RoomMerge::default(), cfg),
        typed_const("DEFAULT_MOVE_MODE", &MoveMode::default(), cfg),
        // The path a newly ticked trigger starts on.
        const_map("USUAL_EXIT_PATHS", usual_paths),
    ]
    .concat()
}

/// How the files Ferry writes are named.
fn files() -> String {
    let docs = DocumentFormat::ALL.map(|f| (json(&f), json(&f.extension())));
    let workshop = WorkshopFormat::ALL.map(|f| (json(&f), json(&f.extension())));
    let suffix = json(&ferry_core::exchange::PLAN_FILE_SUFFIX);
    [
        format!("\nexport const PLAN_FILE_SUFFIX = {suffix};\n"),
        const_map("DOCUMENT_EXTENSIONS", docs),
        const_map("WORKSHOP_EXTENSIONS", workshop),
    ]
    .concat()
}

/// The workshop room's limits the pages need (text lengths, dots, page sizes): the
/// engine's, so the UI never keeps numbers of its own.
fn room_limits() -> String {
    use ferry_core::room::{
        MAX_DOTS_EACH, MAX_NAME_CHARS, MAX_PROPOSAL_CHARS, MIN_DOTS_EACH, PEOPLE_SHOWN,
        PROPOSALS_SHOWN,
    };
    format!(
        "\nexport const ROOM_LIMITS = {{ maxProposalChars: {MAX_PROPOSAL_CHARS}, maxNameChars: {MAX_NAME_CHARS}, minDotsEach: {MIN_DOTS_EACH}, maxDotsEach: {MAX_DOTS_EACH}, proposalsShown: {PROPOSALS_SHOWN}, peopleShown: {PEOPLE_SHOWN} }} as const;\n"
    )
}

/// Every choice the UI offers from an enum, in the engine's order.
fn enum_lists(cfg: &Config) -> String {
    [
        enum_list("LANGUAGES", &Language::ALL, cfg),
        enum_list("ORGANISATION_KINDS", &OrganisationKind::ALL, cfg),
        enum_list("TECHNICAL_CAPACITIES", &TechnicalCapacity::ALL, cfg),
        enum_list("DATA_SENSITIVITIES", &DataSensitivity::ALL, cfg),
        enum_list("CURRENT_PROVIDERS", &CurrentProvider::ALL, cfg),
        enum_list("SPECIAL_CATEGORIES", &SpecialCategory::ALL, cfg),
        enum_list("BUDGET_BANDS", &BudgetBand::ALL, cfg),
        enum_list("SUITES", &Suite::ALL, cfg),
        enum_list("REACHES", &Reach::ALL, cfg),
        enum_list("DATA_VOLUMES", &DataVolume::ALL, cfg),
        enum_list("NEED_GROUPS", &NeedGroup::ALL, cfg),
        enum_list("PRIORITIES", &Priority::ALL, cfg),
        enum_list("ROOM_MERGES", &RoomMerge::ALL, cfg),
        enum_list("COOP_DIRECTORIES", &CoopDirectory::ALL, cfg),
        enum_list("IMPORT_SOURCES", &ferry_import::Source::ALL, cfg),
        enum_list("NET_KINDS", &ferry_api::room::NetKind::ALL, cfg),
        enum_list("IDP_KINDS", &IdpKind::ALL, cfg),
        enum_list("TRIGGERS", &Trigger::ALL, cfg),
        enum_list("EXIT_PATHS", &ExitPath::ALL, cfg),
        enum_list("IMPACTS", &Impact::ALL, cfg),
        enum_list("CREDENTIALS", &Credentials::ALL, cfg),
        enum_list("BACKUP_FREQUENCIES", &BackupFrequency::ALL, cfg),
        enum_list("DRILL_RESULTS", &DrillResult::ALL, cfg),
        enum_list("EXAMPLES", &Example::ALL, cfg),
        enum_list("PROPOSAL_KINDS", &ferry_core::room::ProposalKind::ALL, cfg),
        enum_list("ROOM_ACTIONS", &ferry_api::room::RoomAction::ALL, cfg),
        enum_list("DEPLOY_STAGES", &DeployStage::ALL, cfg),
        enum_list("ARRIVE_STEPS", &ferry_api::arrive::ArriveStep::ALL, cfg),
        enum_list("MOVE_MODES", &MoveMode::ALL, cfg),
    ]
    .concat()
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

    /// Two Rust types of one name (each crate has its `Progress`) would both be
    /// written, and TypeScript would take one of them silently: each needs its own.
    #[test]
    fn every_type_is_declared_once() {
        let text = super::typescript();
        let mut seen = std::collections::BTreeSet::new();
        for line in text.lines() {
            if let Some(rest) = line
                .strip_prefix("export type ")
                .or_else(|| line.strip_prefix("export const "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    seen.insert(name.clone()),
                    "{name} is declared twice: give one a #[ts(rename)]"
                );
            }
        }
    }

    #[test]
    fn command_client_is_up_to_date() {
        check("ui/src/lib/commands.ts", super::commands::client());
    }

    #[test]
    fn the_desktop_opens_files_named_as_ferry_names_them() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let suffix = ferry_core::exchange::PLAN_FILE_SUFFIX;
        let conf: serde_json::Value =
            serde_json::from_str(&read("src-tauri/tauri.conf.json")).unwrap();
        let ext = &conf["bundle"]["fileAssociations"][0]["ext"];
        assert_eq!(ext, &serde_json::json!([suffix.trim_start_matches('.')]));
        let glob = format!("<glob pattern=\"*{suffix}\"/>");
        assert!(
            read("packaging/linux/ferry-plan.xml").contains(&glob),
            "{glob}"
        );
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
