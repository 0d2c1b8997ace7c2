import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from './dates';

describe('dates as each language writes them', () => {
  it('shows day, month and year in the order and with the separator of the language', () => {
    expect(formatDate('2026-11-22', 'nb')).toBe('22.11.2026');
    expect(formatDate('2026-11-22', 'de')).toBe('22.11.2026');
    expect(formatDate('2026-11-22', 'en')).toBe('22/11/2026');
    expect(formatDate('2026-11-22', 'es')).toBe('22/11/2026');
    expect(formatDate(null, 'nb')).toBe('');
  });

  it('reads back what a person types, with any separator and a short year', () => {
    expect(parseDate('22.11.2026', 'nb')).toBe('2026-11-22');
    expect(parseDate('1/2/27', 'en')).toBe('2027-02-01');
    expect(parseDate('3-4-2026', 'es')).toBe('2026-04-03');
    expect(parseDate('2026-11-22', 'de')).toBe('2026-11-22');
    expect(parseDate('  ', 'de')).toBeNull();
  });

  it('refuses what is not a date instead of guessing', () => {
    for (const bad of ['31.02.2026', '22.13.2026', 'tomorrow', '22.11', '1.1.20266']) {
      expect(parseDate(bad, 'nb'), bad).toBeUndefined();
    }
  });
});
