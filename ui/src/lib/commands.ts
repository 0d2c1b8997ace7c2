// Generated from crates/ferry-api/src/surface.rs by `make bindings`. Do not edit:
// declare or change the command in Rust and regenerate (see crates/ferry-bindings).
import type { AdminLogin, AppSetting, AppSettings, ArriveOutlook, ArriveProgress, Arrived, Catalogue, Choices, CoopDirectory, CoopProfile, CrossView, DocumentFormat, Draft, Endpoints, Example, ExitDefaults, ExitPlan, ExportFormat, ExportPerson, Extras, Gap, ImportDone, ImportRead, Language, Member, MemberList, MemberOutcome, MoveProgress, MoveSpec, MoveTargets, Moved, NetInterface, OrderStatus, PersonalData, Plan, PlanId, PlanStatus, PlanSummary, PreviewApp, Progress, Proposal, ProposalDecision, ProposalKind, Recommendation, RefreshOutcome, RoomAction, RoomBoard, RoomJoined, RoomMerge, RoomPage, RoomPerson, SaveOutcome, SourceSpec, SsoOutcome, SsoOverview, SsoPlan, SsoProgress, Submitted, SuiteShown, Taxonomy, ToolCatalogue, VoteAction, VoteAnswer, VoteStatus } from './bindings';

/** How a command reaches the engine: Tauri's IPC in the window, HTTP in a web page. */
export interface Transport {
  call<T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void): Promise<T>;
}

/** Every command of the engine, typed as the Rust side declares it. */
export function commands(t: Transport) {
  return {
    /** The UI has drawn its first screen: the window shows itself. */
    appReady: (): Promise<void> => t.call<void>('app_ready', {}),
    /** Plan files opened from outside (double-click, `ferry FILE`) not yet imported. */
    openedFilesTake: (): Promise<Array<string>> => t.call<Array<string>>('opened_files_take', {}),
    /** Answers once plan files are waiting to be taken (at once if some are). The window keeps one call open instead of listening for an event, so nothing is evaluated in the page at start-up. */
    openedFilesWait: (): Promise<void> => t.call<void>('opened_files_wait', {}),
    /** Opens the list of the licences of everything Ferry is built on. */
    licencesOpen: (): Promise<void> => t.call<void>('licences_open', {}),
    /** Opens a public directory of hosting co-ops in the system's browser. */
    coopDirectoryOpen: (directory: CoopDirectory): Promise<void> => t.call<void>('coop_directory_open', { directory }),
    settingsGet: (): Promise<AppSettings> => t.call<AppSettings>('settings_get', {}),
    settingsSet: (settings: AppSettings): Promise<void> => t.call<void>('settings_set', { settings }),
    plansList: (trash: boolean, query: string): Promise<Array<PlanSummary>> => t.call<Array<PlanSummary>>('plans_list', { trash, query }),
    planCreate: (name: string, language: Language): Promise<Plan> => t.call<Plan>('plan_create', { name, language }),
    /** A new plan filled in as one of the example organisations. */
    planCreateExample: (example: Example, language: Language): Promise<Plan> => t.call<Plan>('plan_create_example', { example, language }),
    planGet: (id: PlanId): Promise<Plan> => t.call<Plan>('plan_get', { id }),
    /** Saves an edit: every valid part at once, the rest kept as typed (a draft). */
    planSave: (plan: Plan): Promise<SaveOutcome> => t.call<SaveOutcome>('plan_save', { plan }),
    /** The plan as last typed, when part of it is not valid yet. */
    planDraft: (id: PlanId): Promise<Draft | null> => t.call<Draft | null>('plan_draft', { id }),
    /** How far each step of the plan is, and what in it is worth a second look. */
    planProgress: (plan: Plan): Promise<PlanStatus> => t.call<PlanStatus>('plan_progress', { plan }),
    planRename: (id: PlanId, name: string): Promise<Plan> => t.call<Plan>('plan_rename', { id, name }),
    planDuplicate: (id: PlanId, name: string): Promise<Plan> => t.call<Plan>('plan_duplicate', { id, name }),
    planTrash: (id: PlanId): Promise<void> => t.call<void>('plan_trash', { id }),
    planRestore: (id: PlanId): Promise<void> => t.call<void>('plan_restore', { id }),
    planPurge: (id: PlanId): Promise<void> => t.call<void>('plan_purge', { id }),
    /** Writes the plan to a file the user chose, and says what personal data it carries. */
    planExport: (id: PlanId, path: string): Promise<Array<PersonalData>> => t.call<Array<PersonalData>>('plan_export', { id, path }),
    /** Adds the plan in a file as a new plan (never overwriting one). */
    planImport: (path: string): Promise<Plan> => t.call<Plan>('plan_import', { path }),
    catalogueGet: (): Promise<Catalogue> => t.call<Catalogue>('catalogue_get', {}),
    /** Downloads a newer recipe catalogue; the one in use stays on failure. */
    catalogueRefresh: (onEvent: (event: Progress) => void): Promise<RefreshOutcome> => t.call<RefreshOutcome>('catalogue_refresh', {}, onEvent as (event: unknown) => void),
    needsTaxonomy: (): Promise<Taxonomy> => t.call<Taxonomy>('needs_taxonomy', {}),
    /** The tools organisations use today, with their migration facts. */
    toolsCatalogue: (): Promise<ToolCatalogue> => t.call<ToolCatalogue>('tools_catalogue', {}),
    /** Needs the ticked tools serve that are not on the board yet. */
    toolsProposedNeeds: (plan: Plan): Promise<Array<string>> => t.call<Array<string>>('tools_proposed_needs', { plan }),
    /** The Tools step's suites: the organisation's own first, a suite it is not leaving folded. */
    toolsSuites: (plan: Plan): Promise<Array<SuiteShown>> => t.call<Array<SuiteShown>>('tools_suites', { plan }),
    planRecommend: (id: PlanId): Promise<Recommendation> => t.call<Recommendation>('plan_recommend', { id }),
    /** Reads admin-console exports and a Takeout index into a preview (nothing changes yet). */
    importRead: (paths: Array<string>): Promise<ImportRead> => t.call<ImportRead>('import_read', { paths }),
    /** The people the read exports name, shown only when asked for. */
    importPeople: (): Promise<Array<Member>> => t.call<Array<Member>>('import_people', {}),
    /** Fills the plan from the last preview, once the person has confirmed it. */
    importApply: (plan: Plan, choices: Choices): Promise<ImportDone> => t.call<ImportDone>('import_apply', { plan, choices }),
    /** Starts, ends, clears or takes back the board's dot vote, or places a dot: the new board, or a refusal (the plan is not saved here). */
    needsVote: (plan: Plan, action: VoteAction): Promise<VoteAnswer> => t.call<VoteAnswer>('needs_vote', { plan, action }),
    /** What the board shows of its vote (dots used, left, what undo would do). */
    needsVoteStatus: (plan: Plan): Promise<VoteStatus> => t.call<VoteStatus>('needs_vote_status', { plan }),
    workshopView: (): Promise<CrossView> => t.call<CrossView>('workshop_view', {}),
    /** Whether the organisation may be named in shared results. */
    planSetConsent: (id: PlanId, consent: boolean): Promise<void> => t.call<void>('plan_set_consent', { id, consent }),
    /** Writes the cross-organisation view, naming only consenting organisations. */
    workshopExport: (path: string, format: ExportFormat, language: Language): Promise<void> => t.call<void>('workshop_export', { path, format, language }),
    /** The exit plan with its empty parts given first answers. */
    exitPlanSuggest: (plan: Plan): Promise<ExitPlan> => t.call<ExitPlan>('exit_plan_suggest', { plan }),
    /** What the exit plan does not say yet. */
    exitPlanGaps: (plan: Plan): Promise<Array<Gap>> => t.call<Array<Gap>>('exit_plan_gaps', { plan }),
    /** Each trigger's usual path and the export facts per chosen app. */
    exitPlanDefaults: (plan: Plan): Promise<ExitDefaults> => t.call<ExitDefaults>('exit_plan_defaults', { plan }),
    /** Writes the saved plan's exit-plan document (PDF or Markdown). */
    planExportDocument: (id: PlanId, path: string, format: DocumentFormat): Promise<void> => t.call<void>('plan_export_document', { id, path, format }),
    /** Writes a request to a hosting co-op (who we are, what to run, what we ask). */
    planExportRequest: (id: PlanId, path: string, format: DocumentFormat): Promise<void> => t.call<void>('plan_export_request', { id, path, format }),
    /** Opens a document exported in this session in the system's viewer. */
    openExported: (path: string): Promise<void> => t.call<void>('open_exported', { path }),
    coopsList: (): Promise<Array<CoopProfile>> => t.call<Array<CoopProfile>>('coops_list', {}),
    /** Saves a co-op profile; its token goes to the keyring first. */
    coopSave: (profile: CoopProfile, token: string | null): Promise<Array<CoopProfile>> => t.call<Array<CoopProfile>>('coop_save', { profile, token }),
    coopDelete: (id: string): Promise<Array<CoopProfile>> => t.call<Array<CoopProfile>>('coop_delete', { id }),
    /** The apps the order would carry. */
    deployPreview: (plan: Plan): Promise<Array<PreviewApp>> => t.call<Array<PreviewApp>>('deploy_preview', { plan }),
    /** Orders the plan's apps from the co-op, the order's record kept in the library before it is sent (a record left unsent is sent again under its key). */
    deploySubmit: (plan: Plan, coopId: string): Promise<Submitted> => t.call<Submitted>('deploy_submit', { plan, coopId }),
    /** Follows an order until every app is final, sending each new status. */
    deployFollow: (coopId: string, orderId: string, onEvent: (event: OrderStatus) => void): Promise<OrderStatus> => t.call<OrderStatus>('deploy_follow', { coopId, orderId }, onEvent as (event: unknown) => void),
    deployRetry: (coopId: string, orderId: string, index: number): Promise<OrderStatus> => t.call<OrderStatus>('deploy_retry', { coopId, orderId, index }),
    deployCancel: (coopId: string, orderId: string): Promise<OrderStatus> => t.call<OrderStatus>('deploy_cancel', { coopId, orderId }),
    /** The whole path from a finished plan to apps that sign in: the sign-in service ordered first, its admin credential received sealed, single sign-on set up and verified, the apps ordered with their client secrets and followed. Continues from wherever it stopped. */
    deployArrive: (plan: Plan, coopId: string, onEvent: (event: ArriveProgress) => void): Promise<Arrived> => t.call<Arrived>('deploy_arrive', { plan, coopId }, onEvent as (event: unknown) => void),
    /** Where that path would continue, and the sign-in service it orders. */
    deployArriveOutlook: (plan: Plan): Promise<ArriveOutlook> => t.call<ArriveOutlook>('deploy_arrive_outlook', { plan }),
    /** Where each kind of data goes (mail, calendars, contacts, files), from the plan. */
    moveTargets: (plan: Plan): Promise<MoveTargets> => t.call<MoveTargets>('move_targets', { plan }),
    /** Keeps a password for moving data to one server, in the keyring. */
    movePasswordSave: (url: string, login: string, password: string): Promise<void> => t.call<void>('move_password_save', { url, login, password }),
    /** Keeps an administrator's login and password for one server (an IMAP master user), in the keyring, to move everyone's data there. */
    moveAdminSave: (url: string, login: string, password: string): Promise<void> => t.call<void>('move_admin_save', { url, login, password }),
    /** Whose data the chosen exports hold (an admin export's folders), with counts. */
    movePeople: (sources: Array<SourceSpec>): Promise<Array<ExportPerson>> => t.call<Array<ExportPerson>>('move_people', { sources }),
    /** Moves the data from a Google export into the new apps; the report goes into the plan. A stopped move carries on where it was, copying nothing twice. */
    moveRun: (plan: Plan, spec: MoveSpec, onEvent: (event: MoveProgress) => void): Promise<Moved> => t.call<Moved>('move_run', { plan, spec }, onEvent as (event: unknown) => void),
    ssoOverview: (plan: Plan): Promise<SsoOverview> => t.call<SsoOverview>('sso_overview', { plan }),
    /** Saves the admin credentials and checks them; wrong ones are not kept. */
    ssoLogin: (plan: Plan, login: AdminLogin): Promise<SsoOverview> => t.call<SsoOverview>('sso_login', { plan, login }),
    ssoForget: (plan: Plan): Promise<SsoOverview> => t.call<SsoOverview>('sso_forget', { plan }),
    ssoReadCa: (path: string): Promise<string> => t.call<string>('sso_read_ca', { path }),
    /** What an apply would create or change (nothing is written). */
    ssoPlan: (plan: Plan, extras: Extras | null): Promise<SsoPlan> => t.call<SsoPlan>('sso_plan', { plan, extras }),
    /** Applies the changes with progress, then verifies every app. */
    ssoApply: (plan: Plan, extras: Extras | null, onEvent: (event: SsoProgress) => void): Promise<SsoOutcome> => t.call<SsoOutcome>('sso_apply', { plan, extras }, onEvent as (event: unknown) => void),
    ssoVerify: (plan: Plan): Promise<SsoOutcome> => t.call<SsoOutcome>('sso_verify', { plan }),
    /** The settings an app's admin needs; the client secret only when asked. */
    ssoAppSettings: (plan: Plan, clientId: string, endpoints: Endpoints | null, reveal: boolean): Promise<Array<AppSetting>> => t.call<Array<AppSetting>>('sso_app_settings', { plan, clientId, endpoints, reveal }),
    /** Reads a members CSV file's text, rows checked against the plan's groups. */
    ssoMembersRead: (plan: Plan, text: string): Promise<MemberList> => t.call<MemberList>('sso_members_read', { plan, text }),
    ssoMembersImport: (plan: Plan, members: Array<Member>, dryRun: boolean): Promise<Array<MemberOutcome>> => t.call<Array<MemberOutcome>>('sso_members_import', { plan, members, dryRun }),
    /** This computer's network interfaces, for the facilitator to pick one for a room. */
    roomInterfaces: (): Promise<Array<NetInterface>> => t.call<Array<NetInterface>>('room_interfaces', {}),
    /** Opens a workshop room for these organisations on the chosen interface. */
    roomOpen: (address: string, plans: Array<PlanId>, dotsEach: number): Promise<RoomBoard> => t.call<RoomBoard>('room_open', { address, plans, dotsEach }),
    /** The open room (also one left open by a crash), for the projector. */
    roomBoard: (): Promise<RoomBoard | null> => t.call<RoomBoard | null>('room_board', {}),
    /** Sends the board on every change until the room ends. */
    roomWatch: (onEvent: (event: RoomBoard) => void): Promise<RoomBoard | null> => t.call<RoomBoard | null>('room_watch', {}, onEvent as (event: unknown) => void),
    /** Pause or resume the room, hide or reveal tallies, lock or unlock joining, take every dot back. */
    roomControl: (action: RoomAction): Promise<RoomBoard> => t.call<RoomBoard>('room_control', { action }),
    /** Puts a proposal on the board, adds it to a card, or sets it aside. */
    roomDecide: (proposal: string, decision: ProposalDecision): Promise<RoomBoard> => t.call<RoomBoard>('room_decide', { proposal, decision }),
    /** Sets many waiting proposals aside at once. */
    roomDismiss: (proposals: Array<string>): Promise<RoomBoard> => t.call<RoomBoard>('room_dismiss', { proposals }),
    /** Waiting proposals after the first page, a page from `offset`. */
    roomProposals: (offset: number): Promise<Array<Proposal>> => t.call<Array<Proposal>>('room_proposals', { offset }),
    /** Who is in the room, the latest to join first, a page from `offset`. */
    roomPeople: (offset: number): Promise<Array<RoomPerson>> => t.call<Array<RoomPerson>>('room_people', { offset }),
    /** Removes a participant (or everyone from their network address) with their dots. */
    roomRemove: (participant: string, sameAddress: boolean): Promise<RoomBoard> => t.call<RoomBoard>('room_remove', { participant, sameAddress }),
    /** Ends the vote: the tallies go into each plan (added to the dots placed at the desk, or replacing them), and every phone is told. */
    roomEnd: (merge: RoomMerge): Promise<RoomBoard> => t.call<RoomBoard>('room_end', { merge }),
    /** A phone's view of the room (its own organisation only, once joined). */
    roomPage: (room: string, participant: string | null): Promise<RoomPage> => t.call<RoomPage>('room_page', { room, participant }),
    /** A phone joins for one organisation, with a first name or none. `participant`: the phone's own new secret (64 hex digits), so that sending the join again after its answer was lost joins once; without it the room makes one. */
    roomJoin: (room: string, plan: PlanId, name: string | null, participant: string | null): Promise<RoomJoined> => t.call<RoomJoined>('room_join', { room, plan, name, participant }),
    /** A phone places a dot on a need (or takes one back). */
    roomDot: (room: string, participant: string, need: string, add: boolean): Promise<RoomPage> => t.call<RoomPage>('room_dot', { room, participant, need, add }),
    /** A phone proposes a need or a note for its organisation's board. */
    roomPropose: (room: string, participant: string, kind: ProposalKind, text: string): Promise<RoomPage> => t.call<RoomPage>('room_propose', { room, participant, kind, text }),
  };
}

export const COMMAND_NAMES = ['app_ready', 'opened_files_take', 'opened_files_wait', 'licences_open', 'coop_directory_open', 'settings_get', 'settings_set', 'plans_list', 'plan_create', 'plan_create_example', 'plan_get', 'plan_save', 'plan_draft', 'plan_progress', 'plan_rename', 'plan_duplicate', 'plan_trash', 'plan_restore', 'plan_purge', 'plan_export', 'plan_import', 'catalogue_get', 'catalogue_refresh', 'needs_taxonomy', 'tools_catalogue', 'tools_proposed_needs', 'tools_suites', 'plan_recommend', 'import_read', 'import_people', 'import_apply', 'needs_vote', 'needs_vote_status', 'workshop_view', 'plan_set_consent', 'workshop_export', 'exit_plan_suggest', 'exit_plan_gaps', 'exit_plan_defaults', 'plan_export_document', 'plan_export_request', 'open_exported', 'coops_list', 'coop_save', 'coop_delete', 'deploy_preview', 'deploy_submit', 'deploy_follow', 'deploy_retry', 'deploy_cancel', 'deploy_arrive', 'deploy_arrive_outlook', 'move_targets', 'move_password_save', 'move_admin_save', 'move_people', 'move_run', 'sso_overview', 'sso_login', 'sso_forget', 'sso_read_ca', 'sso_plan', 'sso_apply', 'sso_verify', 'sso_app_settings', 'sso_members_read', 'sso_members_import', 'room_interfaces', 'room_open', 'room_board', 'room_watch', 'room_control', 'room_decide', 'room_dismiss', 'room_proposals', 'room_people', 'room_remove', 'room_end', 'room_page', 'room_join', 'room_dot', 'room_propose'] as const;
