// Dates as people in each of Ferry's languages write them (22.11.2026 in Norwegian and
// German, 22/11/2026 in English and Spanish), read back into the ISO dates the engine
// keeps. Native date inputs are avoided: WebKitGTK's keeps the keyboard focus inside it
// and shows month/day/year whatever the app's language.
import type { Language } from './bindings';

const LOCALES: Record<Language, string> = { en: 'en-GB', nb: 'nb-NO', de: 'de-DE', es: 'es-ES' };

type Part = 'day' | 'month' | 'year';

function layout(lang: Language): { order: Part[]; sep: string } {
  const parts = new Intl.DateTimeFormat(LOCALES[lang], { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(new Date(2006, 10, 22));
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type as Part);
  const sep = parts.find((p) => p.type === 'literal')?.value ?? '.';
  return { order, sep };
}

/** `2026-11-22` as the language writes it; `''` for no date. */
export function formatDate(iso: string | null, lang: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return '';
  const { order, sep } = layout(lang);
  const value: Record<Part, string> = { year: m[1], month: m[2], day: m[3] };
  return order.map((p) => value[p]).join(sep);
}

/**
 * What a person typed, as an ISO date: `null` for nothing, `undefined` for text that is
 * not a date. Any of `. / - ` between the numbers; a two-digit year is this century;
 * `2026-11-22` is read as ISO in every language.
 */
export function parseDate(text: string, lang: Language): string | null | undefined {
  const s = text.trim();
  if (s === '') return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let value: Record<Part, number>;
  if (iso) {
    value = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  } else {
    const numbers = s.split(/[./\-\s]+/);
    if (numbers.length !== 3 || numbers.some((n) => !/^\d{1,4}$/.test(n))) return undefined;
    const order = layout(lang).order;
    value = Object.fromEntries(order.map((p, i) => [p, Number(numbers[i])])) as Record<Part, number>;
  }
  if (value.year < 100) value.year += 2000;
  if (value.year < 1900 || value.year > 2200) return undefined;
  const d = new Date(Date.UTC(value.year, value.month - 1, value.day));
  if (d.getUTCFullYear() !== value.year || d.getUTCMonth() !== value.month - 1 || d.getUTCDate() !== value.day) return undefined;
  return `${value.year}-${String(value.month).padStart(2, '0')}-${String(value.day).padStart(2, '0')}`;
}
