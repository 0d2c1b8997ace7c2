import { beforeAll, describe, expect, it } from 'vitest';
import type { Recipe } from './bindings';
import { backupsBadge, describeReason, describeWarning, ssoBadge, statusBadge } from './recipes';
import { setLocale } from './i18n/index.svelte';

const unknown = { score: { kind: 'unknown' }, note: null, raw: '' } as const;

function recipe(over: Partial<Recipe>): Recipe {
  return {
    name: 'x', description: null, category: null, website: null, repository: null, icon: null,
    status: { level: null, label: null, raw: '' },
    backups: unknown, email: unknown, healthcheck: unknown, sso: unknown, tests: unknown,
    image: null, versions: [], ...over,
  };
}

describe('recipe badges', () => {
  beforeAll(() => setLocale('en'));

  it('say unknown when the catalogue says nothing, never a guess', () => {
    const r = recipe({});
    expect([statusBadge(r), ssoBadge(r), backupsBadge(r)].map((b) => [b.text, b.symbol])).toEqual([
      ['Status unknown', '?'],
      ['Single sign-on: unknown', '?'],
      ['Backups: unknown', '?'],
    ]);
  });

  it('turn scores into words with a symbol', () => {
    const r = recipe({
      status: { level: 4, label: null, raw: '4' },
      sso: { score: { kind: 'level', level: 1 }, note: 'OAuth', raw: '1 (OAuth)' },
      backups: { score: { kind: 'no' }, note: null, raw: 'No' },
    });
    expect(statusBadge(r)).toMatchObject({ text: 'Status 4 of 5', tone: 'good' });
    expect(ssoBadge(r)).toMatchObject({ text: 'Single sign-on: by hand', tone: 'good' });
    expect(backupsBadge(r)).toMatchObject({ text: 'Backups: no', tone: 'bad', symbol: '✗' });
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
