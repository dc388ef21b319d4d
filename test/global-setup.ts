import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Newest modification time of any source file the build compiles. */
const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata' && entry.name !== '__snapshots__')
        newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
};

/** End-to-end tests run the bundled CLI; build it once when dist/ is missing or older than src/. */
export default function setup(): void {
  // Unit-test runs that do not touch dist/ (several people editing one checkout) can skip the build.
  if (process.env.BULWARK_SKIP_BUILD === '1') return;
  const marker = join(root, 'dist/bundle/bulwark.mjs');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestSource(join(root, 'src'))) return;
  try {
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    run([join(root, 'scripts/bundle.mjs')]);
  } catch {
    // Unit tests do not need dist/; the end-to-end tests fail on their own, and `npm test`
    // builds (failing on type errors) before vitest runs.
    console.warn('global setup: the build failed; end-to-end tests will run against a stale dist/');
  }
}
