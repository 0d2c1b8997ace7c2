// The one module that talks to the Rust side. Components import from here, never
// from @tauri-apps directly; the types come from bindings.ts, generated from Rust.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { ask, open, save } from '@tauri-apps/plugin-dialog';
import { getCurrentWindow } from '@tauri-apps/api/window';
import type {
  AdminLogin,
  AppSetting,
  Change,
  Endpoints,
  Member,
  MemberList,
  MemberOutcome,
  SsoOutcome,
  SsoOverview,
  SsoProgress,
  AppSettings,
  Catalogue,
  CoopProfile,
  CrossView,
  DocumentFormat,
  ErrorPayload,
  ExitDefaults,
  Example,
  ExitPlan,
  ExportFormat,
  Gap,
  Language,
  OrderRecord,
  OrderStatus,
  Draft,
  Plan,
  PlanId,
  PlanSummary,
  SaveOutcome,
  PlanStatus,
  PreviewApp,
  Progress,
  Recommendation,
  RefreshOutcome,
  Taxonomy,
  ToolCatalogue,
} from './bindings';

/** A failed command: the engine's error, with a stable code to translate. */
export class FerryError extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
    this.name = 'FerryError';
  }
}

/** Turns whatever a command rejected with into a FerryError. */
export function asFerryError(e: unknown): FerryError {
  if (e instanceof FerryError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const p = e as Partial<ErrorPayload>;
    return new FerryError({ code: String(p.code), message: String(p.message), params: p.params ?? {}, problems: p.problems ?? [] });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new FerryError({ code: 'unknown', message, params: { message }, problems: [] });
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asFerryError(e);
  }
}

export const api = {
  appReady: () => call<void>('app_ready'),
  /** Plan files opened from outside (double-click, `ferry FILE`) not yet imported. */
  openedFilesTake: () => call<string[]>('opened_files_take'),
  settingsGet: () => call<AppSettings>('settings_get'),
  settingsSet: (settings: AppSettings) => call<void>('settings_set', { settings }),

  plansList: (trash: boolean, query: string) => call<PlanSummary[]>('plans_list', { trash, query }),
  planCreate: (name: string, language: Language) => call<Plan>('plan_create', { name, language }),
  planCreateExample: (example: Example, language: Language) => call<Plan>('plan_create_example', { example, language }),
  planGet: (id: PlanId) => call<Plan>('plan_get', { id }),
  planSave: (plan: Plan) => call<SaveOutcome>('plan_save', { plan }),
  planDraft: (id: PlanId) => call<Draft | null>('plan_draft', { id }),
  planProgress: (plan: Plan) => call<PlanStatus>('plan_progress', { plan }),
  planRename: (id: PlanId, name: string) => call<Plan>('plan_rename', { id, name }),
  planDuplicate: (id: PlanId, name: string) => call<Plan>('plan_duplicate', { id, name }),
  planTrash: (id: PlanId) => call<void>('plan_trash', { id }),
  planRestore: (id: PlanId) => call<void>('plan_restore', { id }),
  planPurge: (id: PlanId) => call<void>('plan_purge', { id }),
  planExport: (id: PlanId, path: string) => call<void>('plan_export', { id, path }),
  planImport: (path: string) => call<Plan>('plan_import', { path }),

  catalogueGet: () => call<Catalogue>('catalogue_get'),
  catalogueRefresh: (onProgress: (p: Progress) => void) => {
    const progress = new Channel<Progress>();
    progress.onmessage = onProgress;
    return call<RefreshOutcome>('catalogue_refresh', { progress });
  },
  needsTaxonomy: () => call<Taxonomy>('needs_taxonomy'),
  toolsCatalogue: () => call<ToolCatalogue>('tools_catalogue'),
  toolsProposedNeeds: (plan: Plan) => call<string[]>('tools_proposed_needs', { plan }),
  planRecommend: (id: PlanId) => call<Recommendation>('plan_recommend', { id }),

  exitPlanSuggest: (plan: Plan) => call<ExitPlan>('exit_plan_suggest', { plan }),
  exitPlanGaps: (plan: Plan) => call<Gap[]>('exit_plan_gaps', { plan }),
  exitPlanDefaults: (plan: Plan) => call<ExitDefaults>('exit_plan_defaults', { plan }),
  planExportDocument: (id: PlanId, path: string, format: DocumentFormat) =>
    call<void>('plan_export_document', { id, path, format }),
  openExported: (path: string) => call<void>('open_exported', { path }),

  workshopView: () => call<CrossView>('workshop_view'),
  planSetConsent: (id: PlanId, consent: boolean) => call<void>('plan_set_consent', { id, consent }),
  workshopExport: (path: string, format: ExportFormat, language: Language) => call<void>('workshop_export', { path, format, language }),

  coopsList: () => call<CoopProfile[]>('coops_list'),
  coopSave: (profile: CoopProfile, token: string | null) => call<CoopProfile[]>('coop_save', { profile, token }),
  coopDelete: (id: string) => call<CoopProfile[]>('coop_delete', { id }),
  deployPreview: (plan: Plan) => call<PreviewApp[]>('deploy_preview', { plan }),
  deploySubmit: (plan: Plan, coopId: string, key: string) => call<OrderRecord>('deploy_submit', { plan, coopId, key }),
  deployFollow: (coopId: string, orderId: string, onStatus: (s: OrderStatus) => void) => {
    const progress = new Channel<OrderStatus>();
    progress.onmessage = onStatus;
    return call<OrderStatus>('deploy_follow', { coopId, orderId, progress });
  },
  deployRetry: (coopId: string, orderId: string, index: number) => call<OrderStatus>('deploy_retry', { coopId, orderId, index }),
  deployCancel: (coopId: string, orderId: string) => call<OrderStatus>('deploy_cancel', { coopId, orderId }),

  ssoOverview: (plan: Plan) => call<SsoOverview>('sso_overview', { plan }),
  ssoLogin: (plan: Plan, login: AdminLogin) => call<SsoOverview>('sso_login', { plan, login }),
  ssoForget: (plan: Plan) => call<SsoOverview>('sso_forget', { plan }),
  ssoPlan: (plan: Plan) => call<Change[]>('sso_plan', { plan }),
  ssoApply: (plan: Plan, onProgress: (p: SsoProgress) => void) => {
    const progress = new Channel<SsoProgress>();
    progress.onmessage = onProgress;
    return call<SsoOutcome>('sso_apply', { plan, progress });
  },
  ssoVerify: (plan: Plan) => call<SsoOutcome>('sso_verify', { plan }),
  ssoAppSettings: (plan: Plan, clientId: string, endpoints: Endpoints | null, reveal: boolean) =>
    call<AppSetting[]>('sso_app_settings', { plan, clientId, endpoints, reveal }),
  ssoMembersRead: (plan: Plan, text: string) => call<MemberList>('sso_members_read', { plan, text }),
  ssoMembersImport: (plan: Plan, members: Member[], dryRun: boolean) =>
    call<MemberOutcome[]>('sso_members_import', { plan, members, dryRun }),
};

const PLAN_EXTENSIONS = ['json'];

/** Asks where to save a plan file; `null` if the user cancelled. */
export async function chooseExportPath(suggestedName: string, filterName: string): Promise<string | null> {
  const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'plan';
  return await save({ defaultPath: `${safe}.ferry.json`, filters: [{ name: filterName, extensions: PLAN_EXTENSIONS }] });
}

/** Calls `handler` whenever plan files are opened from outside while Ferry runs; resolves to a stop function. */
export async function onFilesOpened(handler: () => void): Promise<() => void> {
  return await listen('files-opened', () => handler());
}

/** Asks for a plan file to import; `null` if the user cancelled. */
export async function chooseImportPath(filterName: string): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters: [{ name: filterName, extensions: PLAN_EXTENSIONS }] });
  return typeof picked === 'string' ? picked : null;
}

const DOCUMENT_EXTENSIONS: Record<DocumentFormat, string> = { pdf: 'pdf', markdown: 'md' };

/** Asks where to save the exit-plan document; `null` if the user cancelled. */
export async function chooseDocumentPath(suggestedName: string, format: DocumentFormat, filterName: string): Promise<string | null> {
  const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'exit-plan';
  const ext = DOCUMENT_EXTENSIONS[format];
  return await save({ defaultPath: `${safe}.${ext}`, filters: [{ name: filterName, extensions: [ext] }] });
}

/** Asks where to save the workshop export; `null` if the user cancelled. */
export async function chooseWorkshopExportPath(format: ExportFormat, filterName: string): Promise<string | null> {
  return await save({ defaultPath: `workshop-needs.${format}`, filters: [{ name: filterName, extensions: [format] }] });
}

/**
 * Calls `mayClose` when the window is asked to close, and closes it only when that
 * resolves true (so unsaved work can be saved, or the person asked, first).
 * Resolves to a function that stops listening.
 */
export async function guardWindowClose(mayClose: () => Promise<boolean>): Promise<() => void> {
  const win = getCurrentWindow();
  return win.onCloseRequested(async (event) => {
    event.preventDefault();
    if (await mayClose()) await win.destroy();
  });
}

/** A yes/no question in a system dialog (`ok`/`cancel` are the buttons' words). */
export function askYesNo(text: string, title: string, ok: string, cancel: string): Promise<boolean> {
  return ask(text, { title, kind: 'warning', okLabel: ok, cancelLabel: cancel });
}
