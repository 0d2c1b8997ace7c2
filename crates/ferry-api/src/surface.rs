//! Every command Ferry's clients may call, each declared here once. The Tauri
//! handler, its permission list, and the TypeScript client in `ui/src/lib/commands.ts`
//! are generated from this list (`crates/ferry-bindings`), so adding a command is one
//! line here, its function, and its use in the UI.

use std::path::PathBuf;

use ferry_catalogue::recommend::Recommendation;
use ferry_catalogue::{Catalogue, Progress, RefreshOutcome};
use ferry_core::deploy::PreviewApp;
use ferry_core::directories::CoopDirectory;
use ferry_core::examples::Example;
use ferry_core::exit::{ExitDefaults, Gap};
use ferry_core::library::{Draft, SaveOutcome};
use ferry_core::model::ExitPlan;
use ferry_core::needs::Taxonomy;
use ferry_core::privacy::PersonalData;
use ferry_core::progress::PlanStatus;
use ferry_core::settings::{AppSettings, CoopProfile};
use ferry_core::tools::{SuiteShown, ToolCatalogue};
use ferry_core::workshop::{CrossView, ExportFormat};
use ferry_core::{Language, Plan, PlanId, PlanSummary};
use ferry_hosting::OrderStatus;
use ferry_report::DocumentFormat;
use ferry_sso::apply::Progress as SsoProgress;
use ferry_sso::diff::{Extras, Preview as SsoPlan};
use ferry_sso::members::{Member, MemberList, MemberOutcome};
use ferry_sso::session::{AdminLogin, SsoOutcome, SsoOverview};
use ferry_sso::settings::AppSetting;
use ferry_sso::verify::Endpoints;

use crate::arrive::{ArriveOutlook, ArriveProgress, Arrived};
use crate::declare::commands;
use crate::deploy::Submitted;
use crate::import::{ImportDone, ImportRead};
use crate::moves::{ExportPerson, MoveTargets, Moved};
use crate::room::{NetInterface, RoomAction, RoomBoard, RoomJoined, RoomPage};
use crate::vote::VoteAnswer;
use crate::{
    app, arrive, catalogue, deploy, exit, import, moves, plans, room, sso, vote, workshop,
};
use ferry_core::library::{ProposalDecision, RoomPerson};
use ferry_core::room::{Proposal, ProposalKind};
use ferry_core::vote::{RoomMerge, VoteAction, VoteStatus};
use ferry_import::Choices;
use ferry_move::Progress as MoveProgress;
use ferry_move::SourceSpec;
use ferry_move::plan::MoveSpec;

commands! {
    /// The UI has drawn its first screen: the window shows itself.
    app_ready() -> () => app::ready;
    /// Plan files opened from outside (double-click, `ferry FILE`) not yet imported.
    opened_files_take() -> Vec<String> => app::opened_files;
    /// Answers once plan files are waiting to be taken (at once if some are). The
    /// window keeps one call open instead of listening for an event, so nothing is
    /// evaluated in the page at start-up.
    opened_files_wait() -> () => app::wait_for_opened_files;
    /// Opens the list of the licences of everything Ferry is built on.
    licences_open() -> () => app::open_licences;
    /// Opens a public directory of hosting co-ops in the system's browser.
    coop_directory_open(directory: CoopDirectory) -> () => app::open_directory;
    settings_get() -> AppSettings => app::settings;
    settings_set(settings: AppSettings) -> () => app::set_settings;

    plans_list(trash: bool, query: String) -> Vec<PlanSummary> => plans::list;
    plan_create(name: String, language: Language) -> Plan => plans::create;
    /// A new plan filled in as one of the example organisations.
    plan_create_example(example: Example, language: Language) -> Plan => plans::create_example;
    plan_get(id: PlanId) -> Plan => plans::get;
    /// Saves an edit: every valid part at once, the rest kept as typed (a draft).
    plan_save(plan: Plan) -> SaveOutcome => plans::save;
    /// The plan as last typed, when part of it is not valid yet.
    plan_draft(id: PlanId) -> Option<Draft> => plans::draft;
    /// How far each step of the plan is, and what in it is worth a second look.
    plan_progress(plan: Plan) -> PlanStatus => plans::progress;
    plan_rename(id: PlanId, name: String) -> Plan => plans::rename;
    plan_duplicate(id: PlanId, name: String) -> Plan => plans::duplicate;
    plan_trash(id: PlanId) -> () => plans::trash;
    plan_restore(id: PlanId) -> () => plans::restore;
    plan_purge(id: PlanId) -> () => plans::purge;
    /// Writes the plan to a file the user chose, and says what personal data it carries.
    plan_export(id: PlanId, path: PathBuf) -> Vec<PersonalData> => plans::export;
    /// Adds the plan in a file as a new plan (never overwriting one).
    plan_import(path: PathBuf) -> Plan => plans::import;

    catalogue_get() -> Catalogue => catalogue::get;
    /// Downloads a newer recipe catalogue; the one in use stays on failure.
    catalogue_refresh() -> RefreshOutcome, events Progress => catalogue::refresh;
    needs_taxonomy() -> Taxonomy => catalogue::taxonomy;
    /// The tools organisations use today, with their migration facts.
    tools_catalogue() -> ToolCatalogue => catalogue::tools;
    /// Needs the ticked tools serve that are not on the board yet.
    tools_proposed_needs(plan: Plan) -> Vec<String> => catalogue::proposed_needs;
    /// The Tools step's suites: the organisation's own first, a suite it is not leaving folded.
    tools_suites(plan: Plan) -> Vec<SuiteShown> => catalogue::suites;
    plan_recommend(id: PlanId) -> Recommendation => catalogue::recommend_for;

    /// Reads admin-console exports and a Takeout index into a preview (nothing changes yet).
    import_read(paths: Vec<PathBuf>) -> ImportRead => import::read;
    /// The people the read exports name, shown only when asked for.
    import_people() -> Vec<Member> => import::people;
    /// Fills the plan from the last preview, once the person has confirmed it.
    import_apply(plan: Plan, choices: Choices) -> ImportDone => import::apply;

    /// Starts, ends, clears or takes back the board's dot vote, or places a dot: the
    /// new board, or a refusal (the plan is not saved here).
    needs_vote(plan: Plan, action: VoteAction) -> VoteAnswer => vote::act;
    /// What the board shows of its vote (dots used, left, what undo would do).
    needs_vote_status(plan: Plan) -> VoteStatus => vote::show;

    workshop_view() -> CrossView => workshop::view;
    /// Whether the organisation may be named in shared results.
    plan_set_consent(id: PlanId, consent: bool) -> () => workshop::set_consent;
    /// Writes the cross-organisation view, naming only consenting organisations.
    workshop_export(path: PathBuf, format: ExportFormat, language: Language) -> () => workshop::export_view;

    /// The exit plan with its empty parts given first answers.
    exit_plan_suggest(plan: Plan) -> ExitPlan => exit::suggest;
    /// What the exit plan does not say yet.
    exit_plan_gaps(plan: Plan) -> Vec<Gap> => exit::gaps;
    /// Each trigger's usual path and the export facts per chosen app.
    exit_plan_defaults(plan: Plan) -> ExitDefaults => exit::defaults;
    /// Writes the saved plan's exit-plan document (PDF or Markdown).
    plan_export_document(id: PlanId, path: PathBuf, format: DocumentFormat) -> () => exit::export_document;
    /// Writes a request to a hosting co-op (who we are, what to run, what we ask).
    plan_export_request(id: PlanId, path: PathBuf, format: DocumentFormat) -> () => exit::export_request;
    /// Opens a document exported in this session in the system's viewer.
    open_exported(path: PathBuf) -> () => exit::open_exported;

    coops_list() -> Vec<CoopProfile> => deploy::coops;
    /// Saves a co-op profile; its token goes to the keyring first.
    coop_save(profile: CoopProfile, token: Option<String>) -> Vec<CoopProfile> => deploy::save_coop;
    coop_delete(id: String) -> Vec<CoopProfile> => deploy::delete_coop;
    /// The apps the order would carry.
    deploy_preview(plan: Plan) -> Vec<PreviewApp> => deploy::preview;
    /// Orders the plan's apps from the co-op, the order's record kept in the library
    /// before it is sent (a record left unsent is sent again under its key).
    deploy_submit(plan: Plan, coop_id: String) -> Submitted => deploy::submit;
    /// Follows an order until every app is final, sending each new status.
    deploy_follow(coop_id: String, order_id: String) -> OrderStatus, events OrderStatus => deploy::follow;
    deploy_retry(coop_id: String, order_id: String, index: u32) -> OrderStatus => deploy::retry;
    deploy_cancel(coop_id: String, order_id: String) -> OrderStatus => deploy::cancel;
    /// The whole path from a finished plan to apps that sign in: the sign-in service
    /// ordered first, its admin credential received sealed, single sign-on set up and
    /// verified, the apps ordered with their client secrets and followed. Continues
    /// from wherever it stopped.
    deploy_arrive(plan: Plan, coop_id: String) -> Arrived, events ArriveProgress => arrive::run;
    /// Where that path would continue, and the sign-in service it orders.
    deploy_arrive_outlook(plan: Plan) -> ArriveOutlook => arrive::outlook;
    /// Where each kind of data goes (mail, calendars, contacts, files), from the plan.
    move_targets(plan: Plan) -> MoveTargets => moves::targets;
    /// Keeps a password for moving data to one server, in the keyring.
    move_password_save(url: String, login: String, password: String) -> () => moves::password_command;
    /// Keeps an administrator's login and password for one server (an IMAP master
    /// user), in the keyring, to move everyone's data there.
    move_admin_save(url: String, login: String, password: String) -> () => moves::admin_command;
    /// Whose data the chosen exports hold (an admin export's folders), with counts.
    move_people(sources: Vec<SourceSpec>) -> Vec<ExportPerson> => moves::people;
    /// Moves the data from a Google export into the new apps; the report goes into
    /// the plan. A stopped move carries on where it was, copying nothing twice.
    move_run(plan: Plan, spec: MoveSpec) -> Moved, events MoveProgress => moves::run_command;

    sso_overview(plan: Plan) -> SsoOverview => sso::show;
    /// Saves the admin credentials and checks them; wrong ones are not kept.
    sso_login(plan: Plan, login: AdminLogin) -> SsoOverview => sso::login;
    sso_forget(plan: Plan) -> SsoOverview => sso::forget;
    sso_read_ca(path: PathBuf) -> String => sso::read_ca;
    /// What an apply would create or change (nothing is written).
    sso_plan(plan: Plan, extras: Option<Extras>) -> SsoPlan => sso::plan_changes;
    /// Applies the changes with progress, then verifies every app.
    sso_apply(plan: Plan, extras: Option<Extras>) -> SsoOutcome, events SsoProgress => sso::apply_changes;
    sso_verify(plan: Plan) -> SsoOutcome => sso::verify_apps;
    /// The settings an app's admin needs; the client secret only when asked.
    sso_app_settings(plan: Plan, client_id: String, endpoints: Option<Endpoints>, reveal: bool) -> Vec<AppSetting> => sso::settings;
    /// Reads a members CSV file's text, rows checked against the plan's groups.
    sso_members_read(plan: Plan, text: String) -> MemberList => sso::read_members;
    sso_members_import(plan: Plan, members: Vec<Member>, dry_run: bool) -> Vec<MemberOutcome> => sso::import_members;

    /// This computer's network interfaces, for the facilitator to pick one for a room.
    room_interfaces() -> Vec<NetInterface> => room::list_interfaces;
    /// Opens a workshop room for these organisations on the chosen interface.
    room_open(address: String, plans: Vec<PlanId>, dots_each: u32) -> RoomBoard => room::open;
    /// The open room (also one left open by a crash), for the projector.
    room_board() -> Option<RoomBoard> => room::show;
    /// Sends the board on every change until the room ends.
    room_watch() -> Option<RoomBoard>, events RoomBoard => room::watch;
    /// Pause or resume the room, hide or reveal tallies, lock or unlock joining, take every dot back.
    room_control(action: RoomAction) -> RoomBoard => room::control;
    /// Puts a proposal on the board, adds it to a card, or sets it aside.
    room_decide(proposal: String, decision: ProposalDecision) -> RoomBoard => room::decide;
    /// Sets many waiting proposals aside at once.
    room_dismiss(proposals: Vec<String>) -> RoomBoard => room::dismiss;
    /// Waiting proposals after the first page, a page from `offset`.
    room_proposals(offset: u32) -> Vec<Proposal> => room::proposals;
    /// Who is in the room, the latest to join first, a page from `offset`.
    room_people(offset: u32) -> Vec<RoomPerson> => room::people;
    /// Removes a participant (or everyone from their network address) with their dots.
    room_remove(participant: String, same_address: bool) -> RoomBoard => room::remove;
    /// Ends the vote: the tallies go into each plan (added to the dots placed at the
    /// desk, or replacing them), and every phone is told.
    room_end(merge: RoomMerge) -> RoomBoard => room::end;

    /// A phone's view of the room (its own organisation only, once joined).
    room_page(room: String, participant: Option<String>) -> RoomPage, for participants => room::participant_page;
    /// A phone joins for one organisation, with a first name or none. `participant`:
    /// the phone's own new secret (64 hex digits), so that sending the join again after
    /// its answer was lost joins once; without it the room makes one.
    room_join(room: String, plan: PlanId, name: Option<String>, participant: Option<String>) -> RoomJoined, for participants => room::join;
    /// A phone places a dot on a need (or takes one back).
    room_dot(room: String, participant: String, need: String, add: bool) -> RoomPage, for participants => room::dot;
    /// A phone proposes a need or a note for its organisation's board.
    room_propose(room: String, participant: String, kind: ProposalKind, text: String) -> RoomPage, for participants => room::propose;
}
