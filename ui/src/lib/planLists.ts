// The library's two lists (the plans shown, and the trash for its count), read in one go.
// main.ts reads the first pair while the settings are read, so the library's first
// frame already has its plans: drawn once, complete, when the window shows.
import { api } from './api';
import type { PlanSummary } from './bindings';

export type PlanLists = [shown: PlanSummary[], trash: PlanSummary[]];

export function planLists(showTrash: boolean, query: string): Promise<PlanLists> {
  return Promise.all([api.plansList(showTrash, query), api.plansList(true, '')]);
}

let early: PlanLists | null = null;

/** Reads the first screen's lists; a failure is left to the library's own first read to report. */
export async function prefetchPlanLists(): Promise<void> {
  early = await planLists(false, '').catch(() => null);
}

/** The lists read before the first frame, handed out once. */
export function takePrefetchedPlanLists(): PlanLists | null {
  const lists = early;
  early = null;
  return lists;
}
