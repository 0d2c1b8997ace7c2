// Records which npm packages end up in the built files (not the dev tools that make
// them): scripts/third-party-licenses lists their licences and notices, and
// scripts/check-licenses checks them against the allow-list.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plugin } from 'vite';

export function bundledPackages(out: string): Plugin {
  return {
    name: 'ferry-bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const names = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          // The last node_modules/ in the path names the package (scoped or not).
          const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'));
          if (m) names.add(m[1]);
        }
      }
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify([...names].sort(), null, 1) + '\n');
    },
  };
}
