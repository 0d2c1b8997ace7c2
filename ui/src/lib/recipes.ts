// Words for recipe scores, reasons and warnings: always words and a symbol, never
// colour alone, so they read on a projector and through a screen reader.
import type { Feature, Reason, Recipe, Warning } from './bindings';
import { t, type MessageKey } from './i18n/index.svelte';

export interface Badge {
  text: string;
  tone: 'good' | 'bad' | 'unknown';
  symbol: string;
}

const SYMBOL = { good: '✓', bad: '✗', unknown: '?' } as const;

function badge(text: string, tone: Badge['tone']): Badge {
  return { text, tone, symbol: SYMBOL[tone] };
}

export function statusBadge(r: Recipe): Badge {
  const level = r.status.level;
  if (level === null) return badge(t('score.statusUnknown'), 'unknown');
  return badge(t('score.status', { level }), level >= 3 ? 'good' : 'bad');
}

export function ssoBadge(r: Recipe): Badge {
  const s = r.sso.score;
  if (s.kind === 'level' && s.level >= 2) return badge(t('score.ssoAutomatic'), 'good');
  if ((s.kind === 'level' && s.level === 1) || s.kind === 'yes') return badge(t('score.ssoManual'), 'good');
  if (s.kind === 'unknown') return badge(t('score.ssoUnknown'), 'unknown');
  return badge(t('score.ssoNo'), 'bad');
}

export function backupsBadge(r: Recipe): Badge {
  const present = featurePresent(r.backups);
  if (present === null) return badge(t('score.backupsUnknown'), 'unknown');
  return present ? badge(t('score.backupsYes'), 'good') : badge(t('score.backupsNo'), 'bad');
}

export function featurePresent(f: Feature): boolean | null {
  switch (f.score.kind) {
    case 'level':
      return f.score.level > 0;
    case 'yes':
      return true;
    case 'no':
    case 'not_applicable':
      return false;
    default:
      return null;
  }
}

export function hasSso(r: Recipe): boolean {
  return featurePresent(r.sso) === true;
}

export function needName(id: string): string {
  return t(`need.${id}.name` as MessageKey);
}

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'mature':
      return t('reason.mature', { level: r.level });
    case 'sso_automatic':
    case 'sso_manual':
      return withNote(t(`reason.${r.kind}`), r.note);
    case 'covers_other_needs':
      return t('reason.covers_other_needs', { needs: r.needs.map(needName).join(', ') });
    default:
      return t(`reason.${r.kind}`);
  }
}

export function describeWarning(w: Warning): string {
  return w.kind === 'experimental' ? t('warning.experimental', { level: w.level }) : t(`warning.${w.kind}`);
}

function withNote(text: string, note: string | null): string {
  return note ? `${text} (${note})` : text;
}

/** The public page of a recipe in the Co-op Cloud catalogue. */
export function recipePage(name: string): string {
  return `https://recipes.coopcloud.tech/${encodeURIComponent(name)}`;
}
