import { fileURLToPath } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Tauri serves the built files itself; keep paths relative and the output plain.
  base: './',
  clearScreen: false,
  // Message catalogues become `JSON.parse("…")`, which the web view reads faster and
  // keeps in less memory than the same data as a script's object literal.
  json: { namedExports: false, stringify: true },
  // The message catalogues live in ../messages, shared with the engine.
  server: {
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), fileURLToPath(new URL('../messages', import.meta.url))] },
  },
  build: {
    target: 'safari16',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The app's window, and the page phones open in a workshop room (served by Ferry).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        room: fileURLToPath(new URL('./room.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // A guard against a test that hangs, not a speed target: on a busy two-core machine
    // the catalogue checks (every message of four languages parsed) took over vitest's
    // default 5 s. Speed targets live in benchmarks.
    testTimeout: 60_000,
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
});
