// The plain-language check: no message in any catalogue uses a word from the jargon
// list (messages/jargon.json) unless it is a glossary entry, or it is listed under
// "explained" and shown beside a "What is this?" (Term.svelte) that explains it.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { setLocale } from './index.svelte';
import Term from '../components/Term.svelte';
import jargon from '../../../../messages/jargon.json';
import en from '../../../../messages/en.json';
import nb from '../../../../messages/nb.json';
import de from '../../../../messages/de.json';
import es from '../../../../messages/es.json';

const catalogues: Record<string, Record<string, string>> = { en, nb, de, es };
const terms: Record<string, string[]> = jargon.terms;
const explained: Record<string, string> = jargon.explained;

/** A term as a whole word or phrase, in any case: "token" finds "Token" and "API-token", not "tokenise". */
function wholeWord(term: string): RegExp {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}

/** The text a reader sees: placeholder names ({idp}, {count, plural, …}) are not words. */
function readable(message: string): string {
  return message.replace(/\{\s*\w+\s*(?=[,}])/g, '{');
}

/** The jargon terms of `lang` that `message` uses. */
function jargonIn(lang: string, message: string): string[] {
  const text = readable(message);
  return terms[lang].filter((term) => wholeWord(term).test(text));
}

const components = join(__dirname, '..', 'components');
const componentSources = readdirSync(components)
  .filter((f) => f.endsWith('.svelte'))
  .map((f) => ({ file: f, source: readFileSync(join(components, f), 'utf8') }));

describe('jargon', () => {
  it('has a term list for every language, and each term finds itself', () => {
    expect(Object.keys(terms).sort()).toEqual(Object.keys(catalogues).sort());
    for (const [lang, list] of Object.entries(terms)) {
      expect(list.length, lang).toBeGreaterThan(10);
      for (const term of list) expect(jargonIn(lang, `Say “${term}”.`), `${lang} ${term}`).toContain(term);
    }
    // Whole words only, and placeholders are not text.
    expect(jargonIn('en', 'Tokenised {idp}')).toEqual([]);
    expect(jargonIn('en', 'The API-token')).toEqual(['API', 'token']);
  });

  it('no message uses a jargon term outside a glossary entry or an explained message', () => {
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      const unexplained = Object.entries(catalogue)
        .filter(([key]) => !key.startsWith('glossary.') && !(key in explained))
        .flatMap(([key, text]) => {
          const found = jargonIn(lang, text);
          return found.length ? [`${key}: ${found.join(', ')} in “${text}”`] : [];
        });
      expect(unexplained, `${lang}: say it in plain words, or explain it (messages/jargon.json)`).toEqual([]);
    }
  });

  it('every explained message exists and its glossary entry is in every catalogue', () => {
    for (const [key, id] of Object.entries(explained)) {
      for (const [lang, catalogue] of Object.entries(catalogues)) {
        expect(catalogue, `${lang} ${key}`).toHaveProperty([key]);
        expect(catalogue[`glossary.${id}.term`]?.trim(), `${lang} glossary.${id}.term`).toBeTruthy();
        expect(catalogue[`glossary.${id}.text`]?.trim(), `${lang} glossary.${id}.text`).toBeTruthy();
      }
    }
  });

  it('every explained message is shown beside a "What is this?" for its glossary entry', () => {
    for (const [key, id] of Object.entries(explained)) {
      const beside = componentSources.filter(({ source }) => source.includes(`'${key}'`) && source.includes(`<Term id="${id}"`));
      expect(
        beside.map((c) => c.file),
        `${key} needs <Term id="${id}" /> in the component that shows it`,
      ).not.toEqual([]);
    }
  });

  it('every "What is this?" in a component has its glossary entry', () => {
    for (const { file, source } of componentSources) {
      for (const m of source.matchAll(/<Term id="([^"]+)"/g)) {
        for (const [lang, catalogue] of Object.entries(catalogues)) {
          expect(catalogue, `${file}: ${lang}`).toHaveProperty([`glossary.${m[1]}.text`]);
        }
      }
    }
  });
});

describe('Term', () => {
  beforeAll(() => setLocale('en'));
  afterEach(cleanup);

  it('opens the explanation in place and closes it again, by mouse or keyboard', async () => {
    render(Term, { id: 'dns' });
    const button = screen.getByRole('button', { name: `What is this? ${en['glossary.dns.term']}` });
    expect(button.textContent).toBe('What is this?');
    const panel = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);

    await fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain(en['glossary.dns.text']);

    await fireEvent.keyDown(button, { key: 'Escape' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
  });

  it('gives each instance its own explanation', () => {
    render(Term, { id: 'token' });
    render(Term, { id: 'token' });
    const ids = screen.getAllByRole('button').map((b) => b.getAttribute('aria-controls'));
    expect(new Set(ids).size).toBe(2);
  });
});

// One idea, one word: a reader who meets two words wonders whether they are two things.
const oneWord: Record<string, Record<string, string[]>> = {
  nb: { driftskooperativ: ['driftssamvirke', 'samvirkedrift', 'driftssamvirket'] },
};

describe('one word for one idea', () => {
  it('no catalogue uses a second word for an idea that has one', () => {
    const seen: string[] = [];
    for (const [lang, ideas] of Object.entries(oneWord)) {
      for (const [word, others] of Object.entries(ideas)) {
        for (const [key, text] of Object.entries(catalogues[lang])) {
          for (const other of others) if (text.toLowerCase().includes(other)) seen.push(`${lang} ${key}: “${other}” where Ferry says “${word}”`);
        }
      }
    }
    expect(seen).toEqual([]);
  });
});
