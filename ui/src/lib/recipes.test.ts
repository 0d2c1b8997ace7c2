import { beforeAll, describe, expect, it } from 'vitest';
import type { Assessment } from './bindings';
import { backupsBadge, describeReason, describeWarning, hasSso, ssoBadge, statusBadge } from './recipes';
import { setLocale } from './i18n/index.svelte';

const unknown: Assessment = {
  status_level: null, maturity: 'unknown', sso: 'unknown', backups: 'unknown',
  tones: { status: 'unknown', sso: 'unknown', backups: 'unknown' },
};

describe('recipe badges', () => {
  beforeAll(() => setLocale('en'));

  it('say unknown when the catalogue says nothing, never a guess', () => {
    expect([statusBadge(unknown), ssoBadge(unknown), backupsBadge(unknown)].map((b) => [b.text, b.symbol])).toEqual([
      ['Status unknown', '?'],
      ['Single sign-on: unknown', '?'],
      ['Backups: unknown', '?'],
    ]);
    expect(hasSso(unknown)).toBe(false);
  });

  it("put words and a symbol to the engine's judgement", () => {
    const a: Assessment = {
      status_level: 4, maturity: 'mature', sso: 'manual', backups: 'no',
      tones: { status: 'good', sso: 'good', backups: 'bad' },
    };
    expect(statusBadge(a)).toMatchObject({ text: 'Status 4 of 5', tone: 'good' });
    expect(ssoBadge(a)).toMatchObject({ text: 'Single sign-on: by hand', tone: 'good' });
    expect(backupsBadge(a)).toMatchObject({ text: 'Backups: no', tone: 'bad', symbol: '✗' });
    expect(hasSso(a)).toBe(true);
  });

  it('take the tone from the engine, not from the level', () => {
    const young: Assessment = { ...unknown, status_level: 2, maturity: 'experimental', tones: { ...unknown.tones, status: 'bad' } };
    expect(statusBadge(young)).toMatchObject({ text: 'Status 2 of 5', tone: 'bad', symbol: '✗' });
  });

  it('explain reasons and warnings with need names and levels', async () => {
    expect(describeReason({ kind: 'covers_other_needs', needs: ['calendar', 'contacts'] })).toBe('Also covers: Calendars, Contacts');
    expect(describeReason({ kind: 'sso_manual', note: 'OAuth' })).toBe('Single sign-on possible, set up by hand (OAuth)');
    expect(describeWarning({ kind: 'experimental', level: 1 })).toBe('Experimental: status 1 of 5');
    await setLocale('nb');
    expect(describeWarning({ kind: 'no_sso' })).toBe('Ingen felles innlogging: folk trenger et eget passord');
    await setLocale('en');
  });
});
