// Bundles the compiled CLI into one ES module. Node 20 spends most of a short command's time
// resolving and compiling ~150 separate modules; one file starts about 0.25 s sooner.
// better-sqlite3 stays external (a native addon).
import { rmSync } from 'node:fs';
import { rolldown } from 'rolldown';

// Chunk names carry content hashes: start from an empty folder so old chunks do not pile up.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

const bundle = await rolldown({
  // The analysis worker is its own entry: worker threads load it by file name
  // (src/scan/analysis/pool.ts looks for analysis-worker.mjs beside the chunk that starts them).
  input: {
    bulwark: new URL('../dist/cli/main.js', import.meta.url).pathname,
    'analysis-worker': new URL('../dist/scan/analysis/worker.js', import.meta.url).pathname,
    'review-worker': new URL('../dist/review/worker.js', import.meta.url).pathname,
    // The sandbox's own programs: the supervisor is copied into each sandbox, so it must stay one
    // file (it imports only node: built-ins); the sinkhole runs on the host inside the namespace.
    'sandbox-supervisor': new URL('../dist/sandbox/isolation/supervisor.js', import.meta.url).pathname,
    'sandbox-sinkhole': new URL('../dist/sandbox/sinkhole/sinkhole-main.js', import.meta.url).pathname,
  },
  platform: 'node',
  external: ['better-sqlite3'],
  // Prefer ES builds: jsonc-parser's UMD main requires its parts dynamically, which no bundler follows.
  resolve: { mainFields: ['module', 'main'] },
  logLevel: 'warn',
});
// Minified: V8 parses half the text at start-up (about 25 ms less per command). The source map
// keeps stacks readable with BULWARK_DEBUG=1 node --enable-source-maps.
// Commands load their heavy parts with import(), which become chunks beside the entry: a scan
// loads the code analyser only in its worker threads, and a warm scan (every result cached) not at all.
await bundle.write({
  dir: new URL('../dist/bundle', import.meta.url).pathname,
  entryFileNames: '[name].mjs',
  chunkFileNames: '[name]-[hash].mjs',
  format: 'esm',
  minify: true,
  sourcemap: true,
});
await bundle.close();
