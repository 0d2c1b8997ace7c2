import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(svelte|ts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('module boundaries', () => {
  it('only lib/api.ts talks to Tauri', () => {
    const importers = files(src)
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => /from '@tauri-apps\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(importers).toEqual(['lib/api.ts']);
  });

  it('bindings.ts is generated, not written by hand', () => {
    const text = readFileSync(join(src, 'lib', 'bindings.ts'), 'utf8');
    expect(text.startsWith("// Generated from the engine's Rust types")).toBe(true);
  });
});
