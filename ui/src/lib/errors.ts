// Words for the engine's errors and field problems, in the app's language.
import type { ErrorPayload, FieldProblem } from './bindings';
import { hasMessage, t, type MessageKey } from './i18n/index.svelte';
import type { FerryError } from './api';

export function describeError(e: FerryError | ErrorPayload): string {
  const p = 'payload' in e ? e.payload : e;
  const key = `error.${p.code}`;
  if (hasMessage(key)) return t(key, { message: p.message, ...p.params });
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

// The step each part of the plan is on, for a field without a name of its own.
const STEP_OF: Record<string, string> = { organisation: 'organisation', tools: 'tools', needs: 'needs', recipes: 'recipes', sso: 'sso', exit_plan: 'exit', deploy: 'deploy' };

/**
 * A field's name in plain words: its own (`field.<path>`, list positions left out),
 * else the nearest part of the plan that has one, else its step. Never the path.
 */
export function fieldLabel(problem: FieldProblem): string {
  const parts = problem.field.replace(/^plan\./, '').split('.').filter((p) => !/^\d+$/.test(p));
  for (let n = parts.length; n > 0; n--) {
    const key = `field.${parts.slice(0, n).join('.')}`;
    if (hasMessage(key)) return t(key);
  }
  const step = STEP_OF[parts[0]];
  return step ? t(`steps.${step}` as MessageKey) : t('field.unknown');
}

/** "Label: what is wrong", for problems shown away from their field. */
export function describeProblemWithField(problem: FieldProblem): string {
  return `${fieldLabel(problem)}: ${describeProblem(problem)}`;
}
