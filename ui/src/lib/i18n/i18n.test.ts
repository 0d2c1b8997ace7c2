import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { isPlain, setLocale, systemLanguage, t } from './index.svelte';
import { DEPLOY_STAGES, ERROR_CODES, IMPORT_SOURCES, NET_KINDS, PROPOSAL_KINDS, ROOM_MERGES, SUITES } from '../bindings';
import en from '../../../../messages/en.json';
import nb from '../../../../messages/nb.json';
import de from '../../../../messages/de.json';
import es from '../../../../messages/es.json';

const catalogues = { en, nb, de, es };

const src = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(svelte|ts)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('message catalogues', () => {
  const en = catalogues.en;

  it('every language has exactly the English keys, none empty', () => {
    for (const [lang, cat] of Object.entries(catalogues)) {
      expect(Object.keys(cat).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(cat)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('every message parses and uses the same placeholders in every language', () => {
    // Argument names from the parsed message, including those inside plural branches.
    const names = (nodes: unknown[]): string[] =>
      nodes.flatMap((n) => {
        const node = n as { type: number; value?: unknown; options?: Record<string, { value: unknown[] }> };
        const own = [0, 7, 8].includes(node.type) ? [] : [String(node.value)];
        const nested = Object.values(node.options ?? {}).flatMap((o) => names(o.value));
        return [...own, ...nested];
      });
    const placeholders = (s: string) => [...new Set(names(new IntlMessageFormat(s, 'en').getAst()))].sort();
    for (const [lang, cat] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(cat)) {
        expect(() => new IntlMessageFormat(text, lang), `${lang} ${key}`).not.toThrow();
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('every key used in the code exists, and every error code of the engine has a message', () => {
    const code = sourceFiles(src).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const m of code.matchAll(/\bt\('([\w.]+)'/g)) expect(en, m[1]).toHaveProperty([m[1]]);
    // The list is generated from the Rust error types (ApiError::all_codes), not grepped.
    const codes = ERROR_CODES;
    expect(codes.length).toBeGreaterThan(40);
    for (const c of codes) expect(en, c).toHaveProperty([`error.${c}`]);
  });

  it('every value the engine lists for a templated key has its words', () => {
    // `t(\`import.source.${f.source}\`)` is not seen by the check above; a wire name
    // other than the key once showed "import.source.google_takeout" raw.
    const lists: [string, readonly string[]][] = [
      ['suite', SUITES],
      ['import.source', IMPORT_SOURCES],
      ['import.where', IMPORT_SOURCES],
      ['room.net', NET_KINDS],
      ['room.merge', ROOM_MERGES],
      ['room.kind', PROPOSAL_KINDS],
      ['deploy.step', DEPLOY_STAGES],
    ];
    for (const [prefix, values] of lists) for (const v of values) expect(en, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
  });

  it('no visible text is written straight into a component', () => {
    for (const file of sourceFiles(src).filter((f) => f.endsWith('.svelte'))) {
      let markup = readFileSync(file, 'utf8')
        .replace(/<script[\s\S]*?<\/script>/g, '')
        .replace(/<style[\s\S]*?<\/style>/g, '')
        .replace(/<!--[\s\S]*?-->/g, '');
      // Drop {expressions}, innermost first, so nested braces go too.
      while (/\{[^{}]*\}/.test(markup)) markup = markup.replace(/\{[^{}]*\}/g, '');
      markup = markup.replace(/<[^>]*>/g, '\n');
      const words = markup.split('\n').map((l) => l.trim()).filter((l) => /\p{L}{2,}/u.test(l));
      expect(words, file).toEqual([]);
    }
  });
});

describe('t()', () => {
  it('fills in values, plurals and falls back by language', async () => {
    await setLocale('en');
    expect(t('library.planCount', { count: 1 })).toBe('1 plan');
    expect(t('library.planCount', { count: 3 })).toBe('3 plans');
    await setLocale('nb');
    expect(t('library.planCount', { count: 3 })).toBe('3 planer');
    expect(t('library.copyOf', { name: 'Ås' })).toBe('Kopi av Ås');
    await setLocale('en');
  });

  it('gives every message exactly as ICU MessageFormat formats it, plain ones included', async () => {
    // t() returns plain messages without parsing them; that must never change a word.
    for (const [lang, cat] of Object.entries(catalogues) as [keyof typeof catalogues, Record<string, string>][]) {
      await setLocale(lang);
      for (const [key, text] of Object.entries(cat)) {
        const icu = new IntlMessageFormat(text, lang);
        if (icu.getAst().some((n) => n.type !== 0)) continue; // needs values
        expect(t(key as keyof typeof en), `${lang} ${key}`).toBe(String(icu.format()));
      }
    }
  });

  it('calls a text plain only when ICU MessageFormat gives it back unchanged', () => {
    const samples = [
      "organisation's move", "it's 'quoted' here", "end'", "'", "a ' b", "don't # count",
      "it''s", "'{not an argument}'", "say '<b>'", "'#' sign", "a {x} b", "<b>bold</b>", "x > y", "a | b", "a '| b",
    ];
    for (const text of samples) {
      const icu = String(new IntlMessageFormat(text, 'en').format({ x: 'X', b: (s: unknown) => s }));
      if (isPlain(text)) expect(icu, text).toBe(text);
    }
    // Those ICU reads differently are never taken as plain.
    for (const text of ["it''s", "'{not an argument}'", 'a {x} b']) expect(isPlain(text), text).toBe(false);
    expect(isPlain("organisation's move")).toBe(true);
  });

  it('picks the first system language Ferry has (Bokmål for any Norwegian), else English', () => {
    expect(systemLanguage(['nn-NO'])).toBe('nb');
    expect(systemLanguage(['no'])).toBe('nb');
    expect(systemLanguage(['fr-FR', 'nb'])).toBe('nb');
    expect(systemLanguage(['de-AT', 'nb'])).toBe('de');
    expect(systemLanguage(['es-419'])).toBe('es');
    expect(systemLanguage(['fr-FR'])).toBe('en');
  });
});
