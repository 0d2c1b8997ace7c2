// Words for the engine's errors and field problems, in the app's language.
import type { ErrorPayload, FieldProblem } from './bindings';
import { hasMessage, t } from './i18n/index.svelte';
import type { FerryError } from './api';

export function describeError(e: FerryError | ErrorPayload): string {
  const p = 'payload' in e ? e.payload : e;
  const key = `error.${p.code}`;
  if (hasMessage(key)) return t(key, p.params);
  return t('error.unknown', { message: p.message });
}

/** The field a problem belongs to, without list positions (`organisation.countries.2` → `organisation.countries`). */
export function fieldOf(problem: FieldProblem): string {
  return problem.field.replace(/^plan\./, '').replace(/\.\d+$/, '');
}

export function describeProblem(problem: FieldProblem): string {
  const key = `problem.${problem.code}`;
  return hasMessage(key) ? t(key, { value: problem.value ?? '' }) : t('problem.unknown');
}

/** "Label: what is wrong", for problems shown away from their field. */
export function describeProblemWithField(problem: FieldProblem): string {
  const key = `field.${fieldOf(problem)}`;
  const label = hasMessage(key) ? t(key) : problem.field;
  return `${label}: ${describeProblem(problem)}`;
}
