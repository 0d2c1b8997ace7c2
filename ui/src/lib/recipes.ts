// Words for recipe scores, reasons and warnings: always words and a symbol, never
// colour alone, so they read on a projector and through a screen reader.
import type { Assessment, Presence, Reason, SsoSupport, Tone, Warning } from './bindings';
import { t, type MessageKey } from './i18n/index.svelte';

export interface Badge {
  text: string;
  tone: Tone;
  symbol: string;
}

const SYMBOL = { good: '✓', bad: '✗', unknown: '?' } as const;

function badge(text: string, tone: Badge['tone']): Badge {
  return { text, tone, symbol: SYMBOL[tone] };
}

// The engine judges the scores (ferry_catalogue::assess); these only put words to it.
export function statusBadge(a: Assessment): Badge {
  const level = a.status_level;
  return badge(level === null ? t('score.statusUnknown') : t('score.status', { level }), a.tones.status);
}

const SSO_WORDS: Record<SsoSupport, MessageKey> = {
  automatic: 'score.ssoAutomatic',
  manual: 'score.ssoManual',
  none: 'score.ssoNo',
  unknown: 'score.ssoUnknown',
};

export function ssoBadge(a: Assessment): Badge {
  return badge(t(SSO_WORDS[a.sso]), a.tones.sso);
}

const BACKUPS_WORDS: Record<Presence, MessageKey> = {
  yes: 'score.backupsYes',
  no: 'score.backupsNo',
  unknown: 'score.backupsUnknown',
};

export function backupsBadge(a: Assessment): Badge {
  return badge(t(BACKUPS_WORDS[a.backups]), a.tones.backups);
}

/** Single sign-on is possible at all: the engine counts it good. */
export function hasSso(a: Assessment): boolean {
  return a.tones.sso === 'good';
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
