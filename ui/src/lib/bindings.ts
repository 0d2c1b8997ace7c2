// Generated from the Rust types in crates/ferry-core by `cargo test -p ferry-core bindings`.
// Do not edit: change the Rust type and regenerate (see crates/ferry-core/src/bindings.rs).

export type PlanId = string;

export type Language = "en" | "nb";

export type OrganisationKind = "union" | "party" | "association" | "cooperative" | "ngo" | "informal_collective" | "other";

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
languages: Array<string>, contact: Contact, };

export type ToolInventory = Record<symbol, never>;

export type NeedsBoard = Record<symbol, never>;

export type RecipeChoices = Record<symbol, never>;

export type SsoSetup = Record<symbol, never>;

export type ExitPlan = Record<symbol, never>;

export type DeployRecord = Record<symbol, never>;

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
language: Language, organisation: Organisation, tools: ToolInventory, needs: NeedsBoard, recipes: RecipeChoices, sso: SsoSetup, exit_plan: ExitPlan, deploy: DeployRecord, };

export type PlanSummary = { id: PlanId, name: string, organisation_name: string, language: Language, revision: number, created_at: string, updated_at: string, 
/**
 * Set while the plan is in the trash.
 */
trashed_at: string | null, };

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
