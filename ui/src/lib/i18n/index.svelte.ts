// The message catalogues and the `t()` every component uses for text.
// Messages use ICU syntax (plurals, numbers) through intl-messageformat.
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json';
import nb from './nb.json';
import de from './de.json';
import es from './es.json';
import type { Language } from '../bindings';

export type MessageKey = keyof typeof en;
type Catalogue = Record<MessageKey, string>;

export const catalogues: Record<Language, Catalogue> = { en, nb, de, es };
export const LANGUAGES: readonly Language[] = ['en', 'nb', 'de', 'es'];

let current = $state<Language>('en');
const compiled = new Map<string, IntlMessageFormat>();

export function locale(): Language {
  return current;
}

export function setLocale(language: Language): void {
  current = language;
  document.documentElement.lang = language;
}

/** The language to use when the user has not picked one: the computer's, if Ferry has it. */
export function systemLanguage(preferred: readonly string[] = navigator.languages): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb';
    if (primary === 'en') return 'en';
    if (primary === 'de') return 'de';
    if (primary === 'es') return 'es';
  }
  return 'en';
}

/** Whether a string is a key of the catalogues (for codes that come from the engine). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** The message `key` in the current language, with `values` filled in. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const lang = current;
  const source = catalogues[lang][key] ?? en[key] ?? key;
  const cacheKey = `${lang}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(source, lang);
    compiled.set(cacheKey, format);
  }
  return String(format.format(values));
}

/** Country and language names in the app's language, from the platform. */
export function regionName(code: string): string {
  return displayName('region', code);
}

export function languageName(code: string): string {
  return displayName('language', code);
}

function displayName(type: 'region' | 'language', code: string): string {
  try {
    return new Intl.DisplayNames([current], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
