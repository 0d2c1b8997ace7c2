// The message catalogues and the `t()` every component uses for text.
// Messages use ICU syntax (plurals, numbers) through intl-messageformat.
import { IntlMessageFormat } from 'intl-messageformat';
// The catalogues live in messages/ at the top of the repository, shared with the engine.
import type en from '../../../../messages/en.json';
import { DEFAULT_LANGUAGE, LANGUAGE_READ_AS, LANGUAGES, type Language } from '../bindings';

export type MessageKey = keyof typeof en;
type Catalogue = Record<MessageKey, string>;

// The languages the engine lists (Language::ALL).
export { LANGUAGES } from '../bindings';

// Each catalogue is its own chunk, loaded when its language is first used: the four
// together were most of the UI's JavaScript, and only one is on screen.
const loaders: Record<Language, () => Promise<{ default: Catalogue }>> = {
  en: () => import('../../../../messages/en.json'),
  nb: () => import('../../../../messages/nb.json'),
  de: () => import('../../../../messages/de.json'),
  es: () => import('../../../../messages/es.json'),
};
const loaded: Partial<Record<Language, Catalogue>> = {};

export async function loadCatalogue(language: Language): Promise<Catalogue> {
  return (loaded[language] ??= (await loaders[language]()).default);
}

let current = $state<Language>(DEFAULT_LANGUAGE);
// What makes ICU MessageFormat read a message differently from its text: arguments
// and plurals ({ }), rich-text tags (< >), and an apostrophe before one of those or
// another apostrophe, which quotes. An apostrophe anywhere else is just an apostrophe
// ("organisation's"), so such messages skip the parser too.
const NEEDS_PARSING = /[{}<>]|'['{}<>#|]/;

/** Whether ICU MessageFormat would give `source` back unchanged (i18n.test.ts checks). */
export function isPlain(source: string): boolean {
  return !NEEDS_PARSING.test(source);
}
const compiled = new Map<string, IntlMessageFormat>();

export function locale(): Language {
  return current;
}

/** Switches the app's language once its catalogue is loaded. */
export async function setLocale(language: Language): Promise<void> {
  await loadCatalogue(language);
  current = language;
  document.documentElement.lang = language;
}

/** The language to use when the user has not picked one: the computer's, if Ferry has it. */
export function systemLanguage(preferred: readonly string[] = navigator.languages): Language {
  const readAs: Partial<Record<string, Language>> = LANGUAGE_READ_AS;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    const language = LANGUAGES.find((l) => l === primary) ?? readAs[primary];
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** Whether a string is a key of the catalogues (for codes that come from the engine). */
export function hasMessage(key: string): key is MessageKey {
  return key in (loaded[current] ?? {});
}

/** The message `key` in the current language, with `values` filled in. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const lang = current;
  // Every catalogue has every key (i18n.test.ts); the key shows only before the first load.
  const source = loaded[lang]?.[key] ?? key;
  // Most messages are plain text: nothing for ICU to parse (no argument, tag or quote).
  if (isPlain(source)) return source;
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

/** An app's name as its makers write it (`jitsi` → Jitsi Meet); the recipe's name if unknown. */
export function appName(recipe: string): string {
  const key = `recipe.${recipe}.title`;
  return hasMessage(key) ? t(key) : recipe;
}

/** What an app does, in the app's language; the catalogue's own words if Ferry has none. */
export function appAbout(recipe: string, fallback: string | null): string | null {
  const key = `recipe.${recipe}.about`;
  return hasMessage(key) ? t(key) : fallback;
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
