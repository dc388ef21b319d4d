import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

/**
 * Worker threads cannot load TypeScript, so tests bundle the real worker entry (and the real
 * analyser behind it) into one temporary .mjs, the way scripts/bundle.mjs does for dist/.
 */
export const buildTestWorker = async (): Promise<URL> => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-worker-'));
  const bundle = await rolldown({
    input: join(import.meta.dirname, '..', 'worker.ts'),
    platform: 'node',
    external: ['better-sqlite3'],
    resolve: { mainFields: ['module', 'main'], extensionAlias: { '.js': ['.ts', '.js'] } },
    logLevel: 'warn',
  });
  await bundle.write({ dir, entryFileNames: 'worker.mjs', format: 'esm', codeSplitting: false });
  await bundle.close();
  return pathToFileURL(join(dir, 'worker.mjs'));
};
