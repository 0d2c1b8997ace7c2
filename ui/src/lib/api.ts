// The one module that talks to the Rust side. Components import from here, never
// from @tauri-apps directly; the commands (commands.ts) and their types (bindings.ts)
// are generated from Rust, so this file only adds the transport and the dialogs.
import { Channel, invoke } from '@tauri-apps/api/core';
import { ask, open, save } from '@tauri-apps/plugin-dialog';
import { getCurrentWindow } from '@tauri-apps/api/window';
import type { DocumentFormat, ErrorPayload, ExportFormat } from './bindings';
import { CA_EXTENSIONS, DOCUMENT_EXTENSIONS, IMPORT_EXTENSIONS, MOVE_EXTENSIONS, PLAN_EXTENSIONS, PLAN_FILE_SUFFIX, WORKSHOP_EXTENSIONS } from './bindings';
import { commands } from './commands';

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

/** Tauri's IPC as the generated client's transport; progress events come on a Channel. */
async function call<T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void): Promise<T> {
  try {
    if (!onEvent) return await invoke<T>(command, args);
    const events = new Channel<unknown>();
    events.onmessage = onEvent;
    return await invoke<T>(command, { ...args, events });
  } catch (e) {
    throw asFerryError(e);
  }
}

/** Every engine command, typed from the Rust declarations (see commands.ts). */
export const api = commands({ call });

/** Asks where to save a plan file; `null` if the user cancelled. */
export async function chooseExportPath(suggestedName: string, filterName: string): Promise<string | null> {
  const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'plan';
  return await save({ defaultPath: `${safe}${PLAN_FILE_SUFFIX}`, filters: [{ name: filterName, extensions: [...PLAN_EXTENSIONS] }] });
}

/** Asks for one or more exports to read; an empty list if the user cancelled. */
export async function chooseExportFiles(filterName: string): Promise<string[]> {
  const picked = await open({ multiple: true, directory: false, filters: [{ name: filterName, extensions: [...IMPORT_EXTENSIONS] }] });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** Asks for a Google export to move: its archive parts, or (folder) an unpacked one. */
export async function chooseMoveSources(filterName: string, folder: boolean): Promise<string[]> {
  const picked = folder
    ? await open({ multiple: false, directory: true })
    : await open({ multiple: true, directory: false, filters: [{ name: filterName, extensions: [...MOVE_EXTENSIONS] }] });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** Asks for a plan file to import; `null` if the user cancelled. */
export async function chooseImportPath(filterName: string): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters: [{ name: filterName, extensions: [...PLAN_EXTENSIONS] }] });
  return typeof picked === 'string' ? picked : null;
}

/** Asks for the sign-in service's certificate authority file; `null` if cancelled. */
export async function chooseCaPath(filterName: string): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters: [{ name: filterName, extensions: [...CA_EXTENSIONS] }] });
  return typeof picked === 'string' ? picked : null;
}

/** Asks where to save the exit-plan document; `null` if the user cancelled. */
export async function chooseDocumentPath(suggestedName: string, format: DocumentFormat, filterName: string): Promise<string | null> {
  const safe = suggestedName.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'exit-plan';
  const ext = DOCUMENT_EXTENSIONS[format];
  return await save({ defaultPath: `${safe}.${ext}`, filters: [{ name: filterName, extensions: [ext] }] });
}

/** Asks where to save the workshop export; `null` if the user cancelled. */
export async function chooseWorkshopExportPath(format: ExportFormat, filterName: string): Promise<string | null> {
  const ext = WORKSHOP_EXTENSIONS[format];
  return await save({ defaultPath: `workshop-needs.${ext}`, filters: [{ name: filterName, extensions: [ext] }] });
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
