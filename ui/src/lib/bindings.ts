// Generated from the engine's Rust types by `make bindings`.
// Do not edit: change the Rust type and regenerate (see crates/ferry-bindings).

export type PlanId = string;

export type Language = "en" | "nb" | "de" | "es";

export type OrganisationKind = "union" | "party" | "association" | "cooperative" | "ngo" | "informal_collective" | "other";

export type TechnicalCapacity = "nobody" | "one_volunteer" | "several_volunteers" | "paid_admin";

export type DataSensitivity = "ordinary" | "personal" | "special_categories";

export type CurrentProvider = "google_workspace" | "google_nonprofit" | "microsoft365" | "mixed" | "none";

export type SpecialCategory = "political_opinions" | "trade_union_membership" | "health";

export type BudgetBand = "nothing" | "under500" | "under2000" | "under10000" | "over10000";

export type Contact = { name: string, email: string, phone: string, };

export type Organisation = { name: string, kind: OrganisationKind, 
/**
 * Everyone on the member list.
 */
members: number | null, 
/**
 * People who actually log in to the tools.
 */
active_users: number | null, 
/**
 * ISO 3166-1 alpha-2, e.g. `NO`.
 */
countries: Array<string>, 
/**
 * ISO 639 language tags, e.g. `nb`.
 */
languages: Array<string>, contact: Contact, 
/**
 * `None` until someone answers.
 */
technical_capacity: TechnicalCapacity | null, data_sensitivity: DataSensitivity | null, current_provider: CurrentProvider | null, 
/**
 * Country whose law governs the organisation (ISO 3166-1 alpha-2).
 */
jurisdiction: string | null, budget: BudgetBand | null, special_categories: Array<SpecialCategory>, 
/**
 * What made the group start, in its own words.
 */
trigger: string, 
/**
 * When the move must be done by.
 */
deadline: string | null, 
/**
 * May be named in results shared after a workshop with other organisations.
 */
consent_to_share: boolean, };

export type Reach = "a_few" | "most" | "everyone";

export type DataVolume = "small" | "medium" | "large";

export type ToolUse = { tool: string, reach: Reach | null, 
/**
 * Some people rely on its advanced features (macros, shared drives, scripts…).
 */
power_users: boolean, data_volume: DataVolume | null, sensitivity: DataSensitivity | null, notes: string, };

export type ToolInventory = { tools: Array<ToolUse>, };

export type Suite = "google" | "microsoft" | "other";

export type ToolDef = { id: string, suite: Suite, 
/**
 * Needs (taxonomy ids) this tool serves; ticking the tool proposes them.
 */
needs: Array<string>, 
/**
 * Export method key, `export_method.<key>.name` / `.preconditions`.
 */
export: string, 
/**
 * What will not come across, as `friction.<key>` messages.
 */
losses: Array<string>, };

export type ToolCatalogue = { version: number, tools: Array<ToolDef>, };

export type SuiteShown = { suite: Suite, 
/**
 * Shown closed, to be opened on request: a suite the organisation is not
 * leaving (Microsoft's tools for a Google organisation) with nothing ticked in it.
 */
folded: boolean, };

export type Priority = "must" | "should" | "could" | "not_now";

export type NeedEntry = { 
/**
 * Id in the needs taxonomy, e.g. `video_meetings`.
 */
need: string, priority: Priority, notes: string, 
/**
 * Who needs it, e.g. "the board, shop stewards".
 */
who: string, 
/**
 * Dots given to this need in the group's vote.
 */
votes: number, };

export type DotVote = { participants: number, dots_each: number, };

export type Vote = { "state": "open", participants: number, dots_each: number, } | { "state": "ended", rounds: Array<DotVote>, };

export type UndoKind = "cleared" | "ended" | "restarted" | "room";

export type VoteUndo = { did: UndoKind, vote: Vote | null, 
/**
 * Dots per need before it.
 */
votes: { [key in string]: number }, };

export type NeedsBoard = { needs: Array<NeedEntry>, 
/**
 * No vote yet (`None`), one open, or one ended.
 */
vote: Vote | null, 
/**
 * What the last clearing, ending or room merge replaced, to take it back.
 */
undo: VoteUndo | null, };

export type VoteAction = { "kind": "start", participants: number, dots_each: number, } | { "kind": "dot", need: string, add: boolean, } | { "kind": "end" } | { "kind": "clear" } | { "kind": "undo" };

export type VoteStatus = { used: number, 
/**
 * Dots handed out, when known (an older plan's ended vote may not say).
 */
total: number | null, 
/**
 * Dots still to place while the vote is open.
 */
left: number | null, participants: number, 
/**
 * What "undo" would take back.
 */
undo: UndoKind | null, };

export type RoomMerge = "add" | "replace";

export type CoopDirectory = "coop_cloud" | "librehosters" | "chatons";

export type VoteAnswer = { needs: NeedsBoard, status: VoteStatus, };

export type Decision = { "kind": "recipe", name: string, } | { "kind": "keep_current" } | { "kind": "decide_later" };

export type RecipeChoice = { need: string, decision: Decision, };

export type RecipeChoices = { choices: Array<RecipeChoice>, };

export type SsoSetup = { idp: IdpKind | null, 
/**
 * Where the identity provider answers, e.g. `https://login.example.org`.
 */
url: string, 
/**
 * The Keycloak realm for the organisation (Authentik and Rauthy have one per install).
 */
realm: string, 
/**
 * Groups besides the standard ones (members, board and one per app).
 */
extra_groups: Array<string>, 
/**
 * The last verification, app by app.
 */
results: Array<SsoAppResult>, verified_at: string | null, 
/**
 * The people to bring, as `name,email,groups` lines (typed, pasted or filled by an
 * import). Personal data: it stays in the local plan; the exit-plan document and
 * the shared workshop views show at most a count.
 */
members_list: string, 
/**
 * The certificate authority of a provider with its own (PEM text, from a file the
 * hosting co-op gave), trusted for it as well as the usual roots. Empty: none.
 */
ca_pem: string, };

export type Trigger = "price_or_terms" | "account_suspension" | "foreign_law_access" | "provider_failure" | "new_host_closes" | "board_decision";

export type ExitPath = "planned" | "emergency";

export type TriggerPlan = { trigger: Trigger, path: ExitPath, notes: string, };

export type Impact = "minor" | "serious" | "critical";

export type ServiceExit = { 
/**
 * Need id in the taxonomy, e.g. `email`.
 */
need: string, impact: Impact | null, export_method: string, export_format: string, not_migrating: string, preconditions: string, 
/**
 * A second recipe that could serve this need if the first one fails.
 */
fallback_recipe: string, };

export type Person = { name: string, role: string, email: string, };

export type Credentials = "admin" | "recovery" | "both";

export type CredentialHolder = { name: string, role: string, holds: Credentials, };

export type BackupFrequency = "hourly" | "daily" | "weekly";

export type Backups = { frequency: BackupFrequency | null, 
/**
 * Where the hosting co-op keeps them.
 */
location: string, 
/**
 * A copy at a second provider, so that losing the host does not lose the backups.
 */
second_location: string, 
/**
 * How often someone restores a backup to prove it works.
 */
drill_every_months: number | null, };

export type DrillResult = "restored" | "partly_restored" | "failed";

export type RestoreDrill = { date: string | null, who: string, what: string, result: DrillResult, notes: string, };

export type Phase = { title: string, 
/**
 * Need ids moved in this phase.
 */
needs: Array<string>, start: string | null, end: string | null, 
/**
 * Weeks the old and the new tool run side by side before the old one is closed.
 */
parallel_run_weeks: number | null, };

export type Budget = { 
/**
 * ISO 4217 code, e.g. `NOK`.
 */
currency: string, one_off: number | null, per_month: number | null, notes: string, };

export type ExitPlan = { 
/**
 * People responsible for keeping this plan true.
 */
owners: Array<Person>, 
/**
 * Who approves it, e.g. "the board".
 */
sign_off_by: string, review_date: string | null, triggers: Array<TriggerPlan>, services: Array<ServiceExit>, 
/**
 * The hosting co-op that will run the new apps.
 */
hosting_coop: string, 
/**
 * A second co-op that could take over if the first one stops.
 */
fallback_coop: string, credential_holders: Array<CredentialHolder>, backups: Backups, restore_drills: Array<RestoreDrill>, 
/**
 * Hours within which the services must be back after a sudden exit.
 */
recovery_time_hours: number | null, 
/**
 * Storage the new host must offer, in GB with headroom (filled by an import of
 * the provider's usage reports or Takeout; absent in older plans).
 */
storage_needed_gb: number | null, phases: Array<Phase>, 
/**
 * When DNS and mail (MX) records point to the new host.
 */
cutover_date: string | null, member_communication: string, budget: Budget, success_criteria: Array<string>, };

export type Gap = { "kind": "no_apps_chosen" } | { "kind": "no_current_provider" } | { "kind": "no_owners" } | { "kind": "no_sign_off" } | { "kind": "no_review_date" } | { "kind": "no_triggers" } | { "kind": "too_few_credential_holders", count: number, min: number, } | { "kind": "no_hosting_coop" } | { "kind": "no_fallback_coop" } | { "kind": "no_backup_frequency" } | { "kind": "no_second_backup_location" } | { "kind": "no_restore_drill" } | { "kind": "last_drill_failed" } | { "kind": "no_recovery_target" } | { "kind": "no_timeline" } | { "kind": "no_cutover_date" } | { "kind": "no_success_criteria" };

export type ExportPlan = { method: string, formats: string, preconditions: string, 
/**
 * Known losses, one item each.
 */
not_migrating: Array<string>, 
/**
 * True where every answer came from Ferry rather than from the user.
 */
from_ferry: boolean, };

export type TriggerDefault = { trigger: Trigger, path: ExitPath, };

export type ServiceDefault = { need: string, export: ExportPlan, };

export type ChosenApp = { need: string, recipe: string, };

export type ExitDefaults = { triggers: Array<TriggerDefault>, services: Array<ServiceDefault>, 
/**
 * The chosen apps in the order of the needs board (see [`chosen_apps`]).
 */
apps: Array<ChosenApp>, };

export type Example = "union_branch" | "patient_group" | "party_chapter";

export type OrgColumn = { plan: PlanId, 
/**
 * The organisation's name, shown in the app to the facilitator.
 */
name: string, 
/**
 * Whether it may be named in exported results.
 */
consent: boolean, };

export type NeedRow = { need: string, 
/**
 * The priority each organisation gave it, in column order; `None`: not a need there.
 */
priorities: Array<Priority | null>, 
/**
 * How many organisations have it (any priority but "not now").
 */
shared_by: number, 
/**
 * At least [`SHARED_BY`] organisations have it (the view's "only shared" filter).
 */
shared: boolean, };

export type CrossView = { organisations: Array<OrgColumn>, 
/**
 * Most shared first, then in taxonomy order.
 */
needs: Array<NeedRow>, };

export type ExportFormat = "csv" | "json";

export type DocumentFormat = "pdf" | "markdown";

export type AppState = "queued" | "running" | "deployed" | "failed" | "cancelled";

export type DeployStage = "new" | "env" | "secrets" | "deploy";

export type AppStatus = { recipe: string, domain: string, state: AppState, 
/**
 * Steps done of the steps there are ([`DeployStage`]).
 */
progress: number, steps: number, 
/**
 * The step under way while running (`null` otherwise).
 */
stage: DeployStage | null, 
/**
 * What happened last, in plain words.
 */
message: string, 
/**
 * `recipe:version` actually deployed.
 */
deployed: string | null, 
/**
 * The last lines of the job's output (secrets removed).
 */
log_excerpt: string, 
/**
 * A deployed sign-in service's first administrator credential, sealed to the
 * order's key, until Ferry confirms receipt.
 */
handover: Handover | null, };

export type OrderStatus = { id: string, organisation: string, created_at: string, apps: Array<AppStatus>, 
/**
 * Every app has reached a final state (deployed, failed or cancelled).
 */
is_final: boolean, };

export type AppDomain = { need: string, domain: string, };

export type OrderRecord = { 
/**
 * Sent with the order; kept before sending, so a resend cannot make a second order.
 */
idempotency_key: string, 
/**
 * The co-op's id for the order, once it has answered.
 */
order_id: string | null, coop_name: string, api_url: string, submitted_at: string, 
/**
 * The last status the co-op reported.
 */
status: OrderStatus | null, };

export type SignInOrder = { idp: IdpKind, domain: string, 
/**
 * Its order; the key its admin credential is sealed to is in the keyring.
 */
order: OrderRecord, 
/**
 * When Ferry opened the sealed credential and kept it in the keyring.
 */
received_at: string | null, };

export type Handover = { login: HandoverLogin, 
/**
 * The administrator's user name (not secret), for a password; with a token, the
 * API key's name when the service wants `<name>$<secret>` (Rauthy).
 */
username: string | null, 
/**
 * Where the service's admin API answers, as the co-op's server knows it
 * (`https://<domain>` unless the co-op says otherwise).
 */
address: string, 
/**
 * The credential sealed to the order's `seal_to`, as an ASCII-armoured age file;
 * `null` once Ferry has confirmed receipt (the server keeps no copy then).
 */
sealed: string | null, };

export type HandoverLogin = "password" | "token";

export type DataKind = "mail" | "calendar" | "contacts" | "files";

export type MoveMode = "own" | "admin";

export type MoveReason = "too_large" | "nul_bytes" | "cut_off" | "unreadable" | "refused_by_server" | "conflict" | "room_booking" | "meet_link" | "sharing_not_carried" | "modified_time_not_kept" | "not_a_kind_ferry_moves";

export type ReasonCount = { reason: MoveReason, count: number, };

export type Verified = { 
/**
 * Items Ferry moved (or found there) that the server shows, with the same content.
 */
found: number, 
/**
 * Items the ledger says are there that the server does not show, or shows changed.
 */
missing: number, 
/**
 * The checksum over every item's content matches what was read from the export.
 */
checksums_match: boolean, at: string, };

export type KindReport = { kind: DataKind, 
/**
 * The app that received it (a recipe name).
 */
app: string, 
/**
 * Items the export holds for this person and kind.
 */
in_export: number, 
/**
 * Moved by Ferry in this move, over all its runs: the ledger counts each item
 * once, so a run after a stop adds only what it sent, and the newest report of a
 * plan holds the whole count (never add reports together).
 */
moved: number, 
/**
 * Found on the server before Ferry sent it (put there another way), or the same
 * item twice in the export.
 */
already_there: number, 
/**
 * Could not be moved (`reasons` says why).
 */
not_moved: number, 
/**
 * Bytes of what is on the server now from this export.
 */
bytes: number, 
/**
 * Reasons, each with how many items: why items were not moved, and what did
 * not come across with items that were.
 */
reasons: Array<ReasonCount>, verified: Verified | null, };

export type PersonReport = { 
/**
 * The person's account on the new apps.
 */
login: string, kinds: Array<KindReport>, };

export type LeftBehind = { 
/**
 * The export's folder name (as Google names it, localised).
 */
product: string, files: number, bytes: number, };

export type MoveReport = { 
/**
 * The move's id in the ledger.
 */
id: string, mode: MoveMode, started_at: string, 
/**
 * When the last run of it ended (`None` while it runs, or if it was stopped).
 */
finished_at: string | null, people: Array<PersonReport>, 
/**
 * Products of the export Ferry does not move, with their files (Photos, Keep…).
 */
left_in_export: Array<LeftBehind>, };

export type DeployRecord = { 
/**
 * The hosting co-op profile (on this computer) orders go to.
 */
coop: string | null, 
/**
 * The organisation's domain; each app gets `<recipe>.<base_domain>` unless changed.
 */
base_domain: string, domains: Array<AppDomain>, orders: Array<OrderRecord>, 
/**
 * Data moves into the new apps and what they did (counts only; newest last).
 */
moves: Array<MoveReport>, 
/**
 * The sign-in service, ordered before the apps, and its admin credential.
 */
sign_in: SignInOrder | null, };

export type PreviewApp = { need: string, recipe: string, 
/**
 * `None` until there is a base domain or a domain of its own.
 */
domain: string | null, 
/**
 * Whether single sign-on is wired (an OIDC client secret from the SSO step).
 */
sso_wired: boolean, };

export type CoopProfile = { id: string, name: string, api_url: string, };

export type Plan = { id: PlanId, schema_version: number, 
/**
 * What the library calls the plan; starts as the organisation's name.
 */
name: string, created_at: string, updated_at: string, 
/**
 * Increases by one with every save; guards against saving over newer work.
 */
revision: number, 
/**
 * The language of the plan's documents (the app's own language is separate).
 */
language: Language, organisation: Organisation, tools: ToolInventory, needs: NeedsBoard, recipes: RecipeChoices, sso: SsoSetup, exit_plan: ExitPlan, deploy: DeployRecord, 
/**
 * What was typed into a number field that is not a number yet ("ca 45", "-5"),
 * by field. Kept as typed in the draft and named as a problem; a saved plan never
 * holds any (the field keeps its last valid value).
 */
typed: { [key in string]: string }, };

export type PlanSummary = { id: PlanId, name: string, organisation_name: string, language: Language, revision: number, created_at: string, updated_at: string, 
/**
 * Set while the plan is in the trash.
 */
trashed_at: string | null, };

export type SaveOutcome = { 
/**
 * The plan as stored now: every valid edit.
 */
plan: Plan, 
/**
 * The fields that are not valid yet; their typed values are kept as a draft.
 */
problems: Array<FieldProblem>, };

export type Draft = { plan: Plan, problems: Array<FieldProblem>, };

export type PersonalData = "contact" | "roles" | "member_list";

export type StepId = "organisation" | "tools" | "needs" | "recipes" | "sso" | "exit" | "deploy";

export type StepStatus = "not_started" | "open" | "done";

export type StepProgress = { step: StepId, status: StepStatus, };

export type PlanStatus = { steps: Array<StepProgress>, 
/**
 * Possible but unusual values, asked about at their field (never blocking).
 */
notices: Array<FieldProblem>, };

export type FieldProblem = { 
/**
 * Dotted path of the field inside the plan.
 */
field: string, 
/**
 * Stable code, looked up as `problem.<code>` in the message catalogue.
 */
code: string, 
/**
 * Optional value the message mentions (a limit, the offending item).
 */
value: string | null, };

export type ErrorPayload = { 
/**
 * Stable code, looked up as `error.<code>` in the message catalogue.
 */
code: string, params: { [key in string]: string }, 
/**
 * Per-field problems when `code` is `plan.invalid`.
 */
problems: Array<FieldProblem>, 
/**
 * English text for logs; not for display.
 */
message: string, };

export type AppSettings = { 
/**
 * The app's language; `None` follows the system's language.
 */
language: Language | null, };

export type NeedGroup = "communication" | "documents" | "organising" | "public" | "security";

export type Fit = "partial" | "full";

export type Replaces = { google: Array<string>, microsoft: Array<string>, other: Array<string>, };

export type Candidate = { recipe: string, fit: Fit, };

export type ExportFacts = { google: string, microsoft: string, other: string, 
/**
 * File format names, which need no translation.
 */
formats: string, };

export type NeedDef = { id: string, group: NeedGroup, replaces: Replaces, candidates: Array<Candidate>, 
/**
 * Known migration problems, as keys `friction.<key>` in the message catalogues.
 */
friction: Array<string>, export: ExportFacts, };

export type Taxonomy = { version: number, needs: Array<NeedDef>, };

export type Score = { "kind": "level", "level": number } | { "kind": "yes" } | { "kind": "no" } | { "kind": "not_applicable" } | { "kind": "unknown" };

export type Feature = { score: Score, 
/**
 * Words after the score, e.g. "OAuth" in "Yes (OAuth)".
 */
note: string | null, 
/**
 * The value as written, for people who want to check.
 */
raw: string, };

export type Status = { level: number | null, 
/**
 * The maintainer's word for it, e.g. "stable", "alpha", "work-in-progress".
 */
label: string | null, raw: string, };

export type ImageInfo = { name: string, 
/**
 * 4 = official upstream image … 1 = the recipe's own image.
 */
rating: number | null, 
/**
 * e.g. "upstream", "own".
 */
source: string | null, url: string | null, };

export type RecipeVersion = { 
/**
 * The recipe's version tag, e.g. `5.0.3+27.0.1-fpm`.
 */
tag: string, 
/**
 * Service name → image:tag it runs.
 */
services: { [key in string]: string }, };

export type Recipe = { name: string, description: string | null, category: string | null, website: string | null, repository: string | null, icon: string | null, status: Status, backups: Feature, email: Feature, healthcheck: Feature, sso: Feature, tests: Feature, image: ImageInfo | null, 
/**
 * Oldest first, as the catalogue lists them.
 */
versions: Array<RecipeVersion>, };

export type Recipes = { [key in string]: Recipe };

export type OriginKind = "bundled" | "downloaded";

export type Origin = { kind: OriginKind, 
/**
 * When its content was current: the snapshot's date, or when it was downloaded.
 */
as_of: string, url: string | null, 
/**
 * Message key `provenance.<key>`: where the catalogue comes from.
 */
provenance: string, 
/**
 * For the bundled snapshot: recipe name → message key `source.<key>` saying
 * where its scores come from.
 */
score_sources: { [key in string]: string }, };

export type Catalogue = { recipes: Recipes, origin: Origin, };

export type Progress = { received: number, 
/**
 * From Content-Length, when the server sends it.
 */
total: number | null, };

export type RefreshOutcome = { "kind": "updated", recipes: number, skipped: number, } | { "kind": "not_modified" };

export type Tone = "good" | "bad" | "unknown";

export type Maturity = "mature" | "experimental" | "unknown";

export type SsoSupport = "automatic" | "manual" | "none" | "unknown";

export type Presence = "yes" | "no" | "unknown";

export type Tones = { status: Tone, sso: Tone, backups: Tone, };

export type Assessment = { 
/**
 * The catalogue's status level (0–5), when it gives one.
 */
status_level: number | null, maturity: Maturity, sso: SsoSupport, backups: Presence, tones: Tones, };

export type Weight = "light" | "medium" | "heavy";

export type Reason = { "kind": "covers_need" } | { "kind": "covers_partly" } | { "kind": "mature", level: number, } | { "kind": "sso_automatic", note: string | null, } | { "kind": "sso_manual", note: string | null, } | { "kind": "backups" } | { "kind": "covers_other_needs", needs: Array<string>, } | { "kind": "light_to_run" };

export type Warning = { "kind": "experimental", level: number, } | { "kind": "status_unknown" } | { "kind": "no_sso" } | { "kind": "sso_unknown" } | { "kind": "no_backups" } | { "kind": "backups_unknown" } | { "kind": "heavy_for_capacity" } | { "kind": "sensitive_data_on_young_recipe" };

export type RecipeOption = { recipe: string, points: number, fit: Fit, weight: Weight, reasons: Array<Reason>, 
/**
 * Every warning (the CLI and the document list them all).
 */
warnings: Array<Warning>, 
/**
 * What the app's card shows: at most `NOTABLE_WARNINGS` serious ones, most
 * serious first; unknown scores are explained once per step instead.
 */
notable: Array<Warning>, 
/**
 * The recipe's scores judged, for the badges beside it.
 */
assessment: Assessment, };

export type NeedAdvice = { need: string, priority: Priority, 
/**
 * Best first; empty when nothing in the catalogue covers the need.
 */
options: Array<RecipeOption>, 
/**
 * Known migration problems for this need (`friction.<key>`).
 */
friction: Array<string>, 
/**
 * Every option has a serious warning: keeping the current tool or deciding later
 * (with the co-op) are offered in plain words.
 */
all_warned: boolean, };

export type Recommendation = { 
/**
 * In the plan's order, Must first, "not now" left out.
 */
needs: Array<NeedAdvice>, 
/**
 * Needs nothing in the catalogue covers.
 */
uncovered: Array<string>, 
/**
 * Some app has a score the catalogue does not give (explained once).
 */
unknown_scores: boolean, };

export type IdpKind = "keycloak" | "authentik" | "rauthy";

export type SsoAppResult = { recipe: string, client_id: string, 
/**
 * Discovery answered with the right issuer and the client secret is kept.
 */
works: boolean, 
/**
 * Message key of what is wrong, when it does not work.
 */
problem: string | null, };

export type ClientSettings = { redirect_uris: Array<string>, post_logout_redirect_uris: Array<string>, 
/**
 * PKCE required; `None` where the provider has no such setting (Authentik).
 */
pkce: boolean | null, 
/**
 * The ID token carries the user's groups.
 */
groups_claim: boolean, };

export type DesiredClient = { client_id: string, 
/**
 * Shown in the provider's admin screens.
 */
name: string, recipe: string, need: string, 
/**
 * `https://<domain>/`
 */
base_url: string, settings: ClientSettings, 
/**
 * The group for people who may use this app, as the provider names it.
 */
access_group: string, 
/**
 * The id an earlier Ferry gave it (the bare recipe), kept: apps already use it.
 */
legacy: boolean, 
/**
 * Whether the provider lets only that group sign in to the app (see [`enforces_access`]).
 */
access_enforced: boolean, };

export type SkipReason = "unknown" | "paid_edition" | "needs_adapter" | "via_homeserver" | "redirect_after_setup";

export type Skipped = { need: string, recipe: string, reason: SkipReason, };

export type Owner = { id: string, name: string, };

export type DesiredGroup = { name: string, local: string, 
/**
 * Named by an earlier Ferry without the organisation (kept as it is).
 */
legacy: boolean, };

export type RenameKind = "organisation" | "member";

export type Renamed = { what: RenameKind, before: string, after: string, };

export type Desired = { idp: IdpKind, 
/**
 * Where the provider answers, without a trailing slash.
 */
url: string, 
/**
 * Keycloak's realm; ignored by the others.
 */
realm: string, 
/**
 * The organisation, as its objects are marked.
 */
owner: Owner, 
/**
 * The organisation's short name: Keycloak's realm, the prefix of client ids and
 * group names on Authentik and Rauthy.
 */
short: string, groups: Array<DesiredGroup>, clients: Array<DesiredClient>, skipped: Array<Skipped>, 
/**
 * The hosts the organisation's apps live at: an object from before marks whose
 * return addresses are all here is recognised as the organisation's.
 */
domains: Array<string>, 
/**
 * Names the provider cannot take as they are, with what they become.
 */
renamed: Array<Renamed>, };

export type ObjectKind = "realm" | "client" | "group" | "flow";

export type Change = { "kind": "create_realm", realm: string, } | { "kind": "adopt", what: ObjectKind, name: string, } | { "kind": "create_group", name: string, } | { "kind": "create_client", client: DesiredClient, } | { "kind": "update_client", client: DesiredClient, fields: Array<string>, } | { "kind": "remove_client", client_id: string, } | { "kind": "set_up_recovery" };

export type Conflict = { what: ObjectKind, name: string, 
/**
 * The organisation it belongs to; None when nobody Ferry knows made it.
 */
owner: string | null, 
/**
 * The apps (client ids) Ferry cannot set up while it stands: a sign-in flow they
 * need is someone else's. Empty for a client, whose name says which app.
 */
holds_back: Array<string>, };

export type Orphan = { client_id: string, 
/**
 * Its name on the provider, as an administrator sees it.
 */
name: string, };

export type Extras = { 
/**
 * Remove the clients this organisation's Ferry made for apps no longer planned.
 */
remove_orphans: boolean, 
/**
 * Set up a recovery flow where the provider has none (Authentik).
 */
set_up_recovery: boolean, };

export type SsoPlan = { changes: Array<Change>, conflicts: Array<Conflict>, orphans: Array<Orphan>, 
/**
 * Authentik without a recovery flow: members get no link until one is set up.
 */
recovery_missing: boolean, renamed: Array<Renamed>, };

export type SsoProgress = { done: number, total: number, subject: string, ok: boolean, };

export type StepOutcome = { change: Change, 
/**
 * What went wrong, when it failed (never containing a secret).
 */
error: ErrorPayload | null, };

export type ApplyReport = { steps: Array<StepOutcome>, 
/**
 * Client ids whose secret is now kept.
 */
secrets_kept: Array<string>, 
/**
 * Write requests sent to the provider by this apply.
 */
writes: number, };

export type Endpoints = { authorization_endpoint: string, token_endpoint: string, userinfo_endpoint: string | null, };

export type AppProblem = { "kind": "client_missing" } | { "kind": "client_differs", fields: Array<string>, } | { "kind": "secret_not_kept" } | { "kind": "secret_changed" } | { "kind": "discovery", detail: string, } | { "kind": "issuer_mismatch", expected: string, } | { "kind": "provider", code: string, message: string, } | { "kind": "not_bound" } | { "kind": "disabled" } | { "kind": "foreign_redirect", urls: Array<string>, } | { "kind": "sign_in_refused", detail: string, } | { "kind": "taken", owner: string | null, };

export type AppCheck = { recipe: string, client_id: string, issuer: string, endpoints: Endpoints | null, problems: Array<AppProblem>, };

export type IdpSuggestion = { idp: IdpKind, reason: string, };

export type SsoOverview = { suggestion: IdpSuggestion, 
/**
 * What Ferry will ask the provider for, when the plan is ready.
 */
desired: Desired | null, 
/**
 * What the plan still lacks (field and message key).
 */
problems: Array<FieldProblem>, 
/**
 * The provider's own fields are complete, so the admin can sign in now, even
 * while the apps' domains (Deploy) are still missing.
 */
can_sign_in: boolean, 
/**
 * The plan's own certificate authority for the provider, by fingerprint.
 */
authorities: Array<Authority>, 
/**
 * Admin credentials are saved (in the keyring, or for this session).
 */
signed_in: boolean, 
/**
 * Secrets survive a restart (there is an OS keyring).
 */
secure_store: boolean, };

export type Authority = { 
/**
 * SHA-256 of the certificate, `AB:CD:…` as `openssl x509 -fingerprint -sha256` prints it.
 */
fingerprint: string, };

export type SsoOutcome = { 
/**
 * The plan with this verification recorded (`verify::record`): what to keep.
 */
plan: Plan, report: ApplyReport | null, checks: Array<AppCheck>, results: Array<SsoAppResult>, 
/**
 * Clients this organisation's Ferry made for apps no longer in the plan.
 */
orphans: Array<Orphan>, 
/**
 * Objects with Ferry's names that are someone else's (left alone).
 */
conflicts: Array<Conflict>, };

export type LoginMethod = "password" | "service_account" | "token";

export type AdminLogin = { method: LoginMethod, 
/**
 * User name or client id; empty for a token.
 */
name: string, secret: string, };

export type AppSetting = { name: string, value: string, 
/**
 * The value includes the client secret.
 */
secret: boolean, };

export type Member = { name: string, email: string, 
/**
 * As the provider names them; always includes the organisation's `members`.
 */
groups: Array<string>, };

export type RowProblem = { line: number, 
/**
 * Message key: `email_invalid`, `email_twice`, `group_unknown`, `name_missing`, `row_unreadable`.
 */
code: string, value: string | null, };

export type MemberList = { members: Array<Member>, problems: Array<RowProblem>, };

export type Invite = { "kind": "email_sent" } | { "kind": "email_requested" } | { "kind": "link", url: string, } | { "kind": "not_possible", reason: string, };

export type MemberOutcome = { email: string, 
/**
 * Created now (or would be).
 */
created: boolean, 
/**
 * Groups they were (or would be) added to.
 */
added_to: Array<string>, invite: Invite | null, 
/**
 * The name the provider keeps, when its rules change it (or would).
 */
renamed: Renamed | null, 
/**
 * What went wrong for this member (in a dry run: what the real run would meet).
 */
error: ErrorPayload | null, };

export type RoomPhase = "open" | "paused" | "ended";

export type ProposalKind = "need" | "note";

export type ProposalState = "new" | "accepted" | "merged" | "dismissed";

export type Proposal = { id: string, plan: PlanId, kind: ProposalKind, text: string, 
/**
 * The participant's first name, if they gave one.
 */
by: string | null, 
/**
 * Who sent it (the library's id, not their token): the facilitator can remove them.
 */
participant: string, state: ProposalState, };

export type ProposalDecision = { "kind": "accept", need: string, } | { "kind": "merge", need: string, } | { "kind": "dismiss" };

export type ProposalCounts = { waiting: number, accepted: number, merged: number, dismissed: number, };

export type RoomPerson = { id: string, name: string | null, plan: PlanId, dots: number, proposals: number, 
/**
 * Others in the room who joined from the same network address.
 */
same_address: number, };

export type Removals = { people: number, dots: number, };

export type NetKind = "wifi" | "cable" | "virtual" | "this_computer";

export type NetInterface = { 
/**
 * The system's name (`wlp2s0`), shown only for a virtual network.
 */
name: string, address: string, kind: NetKind, 
/**
 * Only this computer can reach it (for a try-out, not for phones).
 */
loopback: boolean, };

export type Pulse = { version: number, phase: RoomPhase, tallies_hidden: boolean, };

export type BoardCard = { need: string, priority: Priority, dots: number, };

export type BoardOrg = { plan: PlanId, name: string, participants: number, dots_used: number, 
/**
 * Dots already on the organisation's board (a vote at the desk), which the room's
 * end adds to unless the facilitator chooses to replace them.
 */
desk_dots: number, 
/**
 * Most dots first; cards without dots in board order.
 */
cards: Array<BoardCard>, };

export type RoomBoard = { 
/**
 * The server is up (false for a room left open by a crash: its votes can still be saved).
 */
running: boolean, url: string | null, 
/**
 * The address as a QR code (SVG), for phones to scan.
 */
qr_svg: string | null, code: string | null, 
/**
 * The network it listens on, for "On the Wi-Fi (192.168.1.20)".
 */
interface: NetInterface | null, phase: RoomPhase, tallies_hidden: boolean, 
/**
 * No new participants may join.
 */
joining_locked: boolean, dots_each: number, organisations: Array<BoardOrg>, 
/**
 * The oldest waiting proposals (`PROPOSALS_SHOWN` at most; `room_proposals` pages).
 */
proposals: Array<Proposal>, proposal_counts: ProposalCounts, 
/**
 * Participants the facilitator removed, and the dots that went with them.
 */
removed: Removals, 
/**
 * The controls that apply now (pause only when open, and so on), in order.
 */
actions: Array<RoomAction>, version: number, };

export type RoomCard = { need: string, 
/**
 * Dots this participant placed here.
 */
mine: number, 
/**
 * Everyone's dots here; `None` while the facilitator hides the tallies.
 */
total: number | null, };

export type RoomOrg = { plan: PlanId, name: string, };

export type RoomMe = { plan: PlanId, name: string | null, dots_left: number, cards: Array<RoomCard>, proposals: Array<Proposal>, };

export type RoomPage = { code: string, phase: RoomPhase, tallies_hidden: boolean, 
/**
 * The facilitator has closed the room to new participants.
 */
joining_locked: boolean, dots_each: number, organisations: Array<RoomOrg>, me: RoomMe | null, version: number, };

export type RoomJoined = { 
/**
 * The phone's own secret; sent with each of its requests.
 */
participant: string, page: RoomPage, };

export type RoomAction = "pause" | "resume" | "hide_tallies" | "reveal_tallies" | "lock_joining" | "unlock_joining" | "reset_votes";

export type Source = "google_users" | "google_group_members" | "google_user_usage" | "m365_active_users" | "m365_apps_usage" | "m365_mailbox_usage" | "m365_onedrive_usage" | "m365_sharepoint_site_usage" | "m365_teams_user_activity" | "google_takeout";

export type FileSummary = { source: Source, 
/**
 * Data rows (CSV) or files in the index (Takeout).
 */
rows: number, };

export type ToolSummary = { 
/**
 * Id in Ferry's tool catalogue.
 */
tool: string, users: number, power_users: number, bytes: number, items: number, 
/**
 * From `users` and the number of active accounts; `None` when nobody is counted.
 */
reach: Reach | null, 
/**
 * From `bytes`; `None` when no export measured it.
 */
data_volume: DataVolume | null, };

export type GroupSummary = { 
/**
 * The group's address or name (an organisation's, not a person's).
 */
group: string, members: number, 
/**
 * What Ferry proposes it becomes (`board`, `members`, or its own name).
 */
proposed: string, 
/**
 * What the person may choose instead.
 */
options: Array<string>, };

export type Loss = { 
/**
 * `chat_history`, `sharepoint_pages`, `converted_documents` or `photos`.
 */
kind: string, tool: string, 
/**
 * The need in the taxonomy whose exit entry it belongs to.
 */
need: string, count: number, bytes: number, };

export type ProductSummary = { 
/**
 * The folder under `Takeout/`, as the archive names it (it is localised).
 */
folder: string, 
/**
 * Ferry's key for the product (`drive`, `mail`, `photos`…), when known.
 */
product: string | null, 
/**
 * The tool in Ferry's catalogue, when there is one.
 */
tool: string | null, files: number, bytes: number, };

export type KindSummary = { 
/**
 * `document`, `spreadsheet`, `presentation`, `pdf`, `image`, `video`, `mbox`,
 * `calendar`, `contacts` or `other`.
 */
kind: string, files: number, bytes: number, };

export type TakeoutSummary = { files: number, bytes: number, products: Array<ProductSummary>, kinds: Array<KindSummary>, mbox_files: number, mbox_bytes: number, largest_mbox_bytes: number, 
/**
 * Docs, Sheets and Slides that left Drive as Office files.
 */
converted_office_files: number, 
/**
 * Archive parts read (Takeout splits a large export into `…-001.zip`, `…-002.zip`).
 */
parts: number, };

export type Preview = { files: Array<FileSummary>, 
/**
 * Accounts that can sign in (not suspended, blocked or unlicensed).
 */
people: number, inactive_people: number, groups: Array<GroupSummary>, tools: Array<ToolSummary>, total_bytes: number, 
/**
 * What the new host must offer, in GB (10^9 bytes), headroom included.
 */
storage_needed_gb: number, takeout: TakeoutSummary | null, losses: Array<Loss>, 
/**
 * A Microsoft report concealed names: users are counted, not matched to people.
 */
concealed_names: boolean, };

export type Applied = { tools_added: number, tools_updated: number, groups_added: number, 
/**
 * Needs the tools now in the plan serve that are not on the board yet
 * (`ferry_core::tools::proposed_needs`): offered, not added.
 */
proposed_needs: Array<string>, storage_needed_gb: number | null, losses_noted: number, };

export type GroupChoice = { 
/**
 * The group as the export names it.
 */
group: string, 
/**
 * One of that group's `options`.
 */
into: string, };

export type Choices = { 
/**
 * Put the people on the single sign-on member list.
 */
people: boolean, 
/**
 * Groups the person changed from Ferry's proposal; the others keep it.
 */
groups: Array<GroupChoice>, };

export type FileProblem = { 
/**
 * The file's name (not its folder).
 */
file: string, error: ErrorPayload, };

export type ImportRead = { preview: Preview | null, problems: Array<FileProblem>, };

export type ImportDone = { plan: Plan, applied: Applied, 
/**
 * People added to the single sign-on member list.
 */
people_added: number, };

export type Submitted = { plan: Plan, record: OrderRecord, 
/**
 * The apps whose single sign-on secrets went with the order.
 */
wired: Array<string>, };

export type ArriveStep = "order_sign_in" | "deploy_sign_in" | "receive_key" | "set_up_sign_on" | "order_apps" | "deploy_apps" | "done";

export type ArriveProgress = { step: ArriveStep, status: OrderStatus | null, };

export type Arrived = { plan: Plan, step: ArriveStep, 
/**
 * The apps that passed the sign-in check.
 */
verified: Array<string>, 
/**
 * The apps' order as last seen.
 */
apps: OrderStatus | null, };

export type ArriveOutlook = { next: ArriveStep, idp: IdpKind, 
/**
 * `None` until the plan has a domain.
 */
domain: string | null, };

export type MoveTargets = { targets: Array<TargetSpec>, missing: Array<ErrorPayload>, 
/**
 * The kinds an administrator can move for everyone (their server has an
 * administrator's sign-in); the others only each person, signed in themselves.
 */
admin: Array<DataKind>, };

export type ExportPerson = { source: string, 
/**
 * Files Ferry moves, and their bytes.
 */
files: number, bytes: number, };

export type Moved = { plan: Plan, report: MoveReport, };

export type MoveSpec = { sources: Array<SourceSpec>, people: Array<PersonSpec>, targets: Array<TargetSpec>, mode: MoveMode, 
/**
 * The folder the Drive files go into, in each person's files.
 */
driveFolder: string, };

export type TargetSpec = { kind: DataKind, 
/**
 * The app (a recipe name), or `custom`.
 */
app: string, flavour: Flavour, url: string, };

export type PersonSpec = { 
/**
 * The person in the export (an admin export's folder name; `""` for a Takeout).
 */
source: string, 
/**
 * Their account on the new apps.
 */
login: string, };

export type Flavour = "imap" | "nextcloud" | "radicale" | "webdav";

export type SourceSpec = { path: string, person: string | null, };

export type MoveProgress = { phase: MovePhase, 
/**
 * The person's account on the new apps (empty before the first).
 */
login: string, kind: DataKind | null, 
/**
 * People done so far, and in all.
 */
person_index: number, people: number, 
/**
 * Items of this person and kind handled so far (moved, found there, or listed).
 */
items_done: number, moved: number, already_there: number, not_moved: number, 
/**
 * Bytes of the export read so far for this person and kind, and in all.
 */
bytes_done: number, bytes_total: number, 
/**
 * Estimated from the pace so far (`None` until there is one).
 */
seconds_left: number | null, };

export type MovePhase = "reading" | "connecting" | "moving" | "verifying" | "done";

export const COUNTRY_CODES = ["AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW"] as const;

export const COMMON_LANGUAGES = ["nb", "nn", "se", "sv", "da", "fi", "is", "en", "de", "fr", "es", "it", "pt", "nl", "pl", "lt", "uk", "ru", "ro", "tr", "ar", "fa", "ur", "so", "ti", "ta", "tl", "vi", "zh"] as const;

export const IMPORT_EXTENSIONS = ["csv", "zip", "tgz"] as const;

export const CA_EXTENSIONS = ["pem", "crt", "cer"] as const;

export const MOVE_EXTENSIONS = ["zip"] as const;

export const PLAN_EXTENSIONS = ["json"] as const;

export const PLAN_FILE_SUFFIX = ".ferry.json";

export const DOCUMENT_EXTENSIONS = { "pdf": "pdf", "markdown": "md" } as const;

export const WORKSHOP_EXTENSIONS = { "csv": "csv", "json": "json" } as const;

export const ERROR_CODES = ["api.bad_request", "api.internal", "api.not_here", "api.unknown_command", "app.link_not_opened", "app.no_licences", "catalogue.bad_url", "catalogue.http_status", "catalogue.invalid", "catalogue.io", "catalogue.timed_out", "catalogue.too_large", "catalogue.unreachable", "deploy.handover_missing", "deploy.handover_unopenable", "deploy.no_coop", "deploy.not_an_order", "deploy.not_ready", "deploy.seal_key_lost", "deploy.sign_in_not_deployed", "deploy.sign_on_failed", "export.not_ours", "export.open_failed", "file.field_invalid", "file.newer_version", "file.not_ferry_plan", "file.not_json", "file.too_large", "hosting.bad_answer", "hosting.bad_url", "hosting.conflict", "hosting.forbidden", "hosting.insecure", "hosting.invalid", "hosting.not_found", "hosting.quota", "hosting.rate_limited", "hosting.server", "hosting.timed_out", "hosting.unauthorized", "hosting.unreachable", "import.bad_value", "import.empty", "import.group_choice", "import.io", "import.no_rows", "import.not_takeout", "import.not_text", "import.not_zip", "import.nothing_read", "import.row_shape", "import.tgz", "import.too_large", "import.too_many_rows", "import.truncated", "import.unknown_format", "io.failed", "library.damaged", "library.newer_version", "library.storage", "move.empty", "move.insecure", "move.ledger", "move.no_address", "move.no_admin_credentials", "move.no_admin_mode", "move.no_credentials", "move.no_target", "move.not_zip", "move.protocol", "move.read", "move.refused", "move.sign_in", "move.stopped", "move.tgz", "move.unreachable", "plan.conflict", "plan.invalid", "plan.not_found", "plan.not_in_trash", "room.address", "room.address_full", "room.already_open", "room.busy", "room.dots", "room.empty", "room.ended", "room.full", "room.joining_locked", "room.no_dot_there", "room.no_dots_left", "room.no_participant", "room.no_proposal", "room.no_room", "room.not_in_room", "room.not_joined", "room.organisations", "room.paused", "room.proposals_full", "room.too_large", "room.too_long", "room.too_many", "room.unknown_need", "room.wrong_host", "secrets.keyring", "secrets.missing", "secrets.no_secure_store", "sso.bad_credentials", "sso.bad_url", "sso.ca_file", "sso.conflict", "sso.csv_header", "sso.forbidden", "sso.invalid_response", "sso.missing", "sso.not_ready", "sso.not_signed_in", "sso.not_this_provider", "sso.refused", "sso.server", "sso.timeout", "sso.tls", "sso.unreachable", "vote.already_open", "vote.no_dot_there", "vote.no_dots_left", "vote.not_open", "vote.nothing_to_clear", "vote.nothing_to_undo", "vote.out_of_range", "vote.unknown_need"] as const;

export const LANGUAGES = ["en", "nb", "de", "es"] as const;

export const ORGANISATION_KINDS = ["union", "party", "association", "cooperative", "ngo", "informal_collective", "other"] as const;

export const TECHNICAL_CAPACITIES = ["nobody", "one_volunteer", "several_volunteers", "paid_admin"] as const;

export const DATA_SENSITIVITIES = ["ordinary", "personal", "special_categories"] as const;

export const CURRENT_PROVIDERS = ["google_workspace", "google_nonprofit", "microsoft365", "mixed", "none"] as const;

export const SPECIAL_CATEGORIES = ["political_opinions", "trade_union_membership", "health"] as const;

export const BUDGET_BANDS = ["nothing", "under500", "under2000", "under10000", "over10000"] as const;

export const SUITES = ["google", "microsoft", "other"] as const;

export const REACHES = ["a_few", "most", "everyone"] as const;

export const DATA_VOLUMES = ["small", "medium", "large"] as const;

export const NEED_GROUPS = ["communication", "documents", "organising", "public", "security"] as const;

export const PRIORITIES = ["must", "should", "could", "not_now"] as const;

export const ROOM_MERGES = ["add", "replace"] as const;

export const COOP_DIRECTORIES = ["coop_cloud", "librehosters", "chatons"] as const;

export const IMPORT_SOURCES = ["google_users", "google_group_members", "google_user_usage", "google_takeout", "m365_active_users", "m365_apps_usage", "m365_mailbox_usage", "m365_onedrive_usage", "m365_sharepoint_site_usage", "m365_teams_user_activity"] as const;

export const NET_KINDS = ["wifi", "cable", "virtual", "this_computer"] as const;

export const IDP_KINDS = ["rauthy", "authentik", "keycloak"] as const;

export const TRIGGERS = ["price_or_terms", "account_suspension", "foreign_law_access", "provider_failure", "new_host_closes", "board_decision"] as const;

export const EXIT_PATHS = ["planned", "emergency"] as const;

export const IMPACTS = ["minor", "serious", "critical"] as const;

export const CREDENTIALS = ["both", "admin", "recovery"] as const;

export const BACKUP_FREQUENCIES = ["hourly", "daily", "weekly"] as const;

export const DRILL_RESULTS = ["restored", "partly_restored", "failed"] as const;

export const EXAMPLES = ["union_branch", "patient_group", "party_chapter"] as const;

export const PROPOSAL_KINDS = ["need", "note"] as const;

export const ROOM_ACTIONS = ["pause", "resume", "hide_tallies", "reveal_tallies", "lock_joining", "unlock_joining", "reset_votes"] as const;

export const DEPLOY_STAGES = ["new", "env", "secrets", "deploy"] as const;

export const ARRIVE_STEPS = ["order_sign_in", "deploy_sign_in", "receive_key", "set_up_sign_on", "order_apps", "deploy_apps", "done"] as const;

export const MOVE_MODES = ["own", "admin"] as const;

export const DEFAULT_LANGUAGE: Language = "en";

export const LANGUAGE_READ_AS = { "no": "nb", "nn": "nb" } as const;

export const DEFAULT_IDP: IdpKind = "keycloak";

export const DEFAULT_DOT_VOTE: DotVote = {"participants":8,"dots_each":3};

export const DEFAULT_PROPOSAL_KIND: ProposalKind = "need";

export const DEFAULT_ROOM_MERGE: RoomMerge = "add";

export const DEFAULT_MOVE_MODE: MoveMode = "own";

export const USUAL_EXIT_PATHS = { "price_or_terms": "planned", "account_suspension": "emergency", "foreign_law_access": "planned", "provider_failure": "emergency", "new_host_closes": "emergency", "board_decision": "planned" } as const;

export const LOGIN_METHODS = { "rauthy": ["token"], "authentik": ["token"], "keycloak": ["password", "service_account"] } as const;

export const ROOM_LIMITS = { maxProposalChars: 280, maxNameChars: 40, minDotsEach: 1, maxDotsEach: 20, proposalsShown: 50, peopleShown: 50 } as const;

export const VOTE_LIMITS = { minParticipants: 1, maxParticipants: 500, minDotsEach: 1, maxDotsEach: 20 } as const;

export const CURRENCY_CODE_LENGTH = 3;

export const STATUS_LEVELS = [1, 2, 3, 4, 5] as const;
