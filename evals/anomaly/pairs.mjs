// Release-pair features for many packages: worker threads (pair-worker.mjs) analyse each
// package's cached releases with the built code; a package past its time limit is stopped and
// counted as skipped. Rows are cached per package under evals/.cache/anomaly/rows/<key>/, where
// the key hashes the analyser version, the compiled feature code and the versions, so a rerun
// (e.g. to refit) reads them back and a code change recomputes them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheDir, root } from './histories.mjs';

const rowsDir = join(root, 'evals/.cache/anomaly/rows');

const codeKey = async (dist) => {
  const { ANALYZER_VERSION } = await import(pathToFileURL(join(dist, 'analysis/analyze.js')).href);
  const { FEATURES_VERSION } = await import(pathToFileURL(join(dist, 'diff/anomaly/features.js')).href);
  return `analyzer-${ANALYZER_VERSION}-features-${FEATURES_VERSION}`;
};

const cached = (dir, entry) => {
  const path = join(dir, `${entry.name.replace('/', '+')}.json`);
  if (!existsSync(path)) return undefined;
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  return saved.versions.join(' ') === entry.versions.join(' ') ? saved : undefined;
};

const save = (dir, saved) => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${saved.name.replace('/', '+')}.json`);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, JSON.stringify(saved));
  renameSync(temporary, path);
};

/**
 * Features of every consecutive pair of `entries` ({ name, versions } with cached tarballs).
 * Returns { rows, skipped: [{ name, reason }], errors: [string], seconds }.
 */
export const releasePairs = async (
  entries,
  { dist = join(root, 'dist'), jobs = 2, timeoutMs = 120_000, log = () => {} } = {},
) => {
  const started = performance.now();
  const dir = join(rowsDir, await codeKey(dist));
  const results = new Map();
  const skipped = [];
  const errors = [];
  const todo = [];
  for (const entry of entries) {
    if (entry.versions.length < 2) {
      skipped.push({ name: entry.name, reason: entry.error ?? 'fewer than two releases' });
      continue;
    }
    const saved = cached(dir, entry);
    if (saved) results.set(entry.name, saved);
    else todo.push(entry);
  }
  log(`${results.size} packages from the row cache, ${todo.length} to analyse`);
  let next = 0;
  let done = 0;
  const spawn = () =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./pair-worker.mjs', import.meta.url), { workerData: { dist } });
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  const lane = async () => {
    let worker = await spawn();
    while (next < todo.length) {
      const entry = todo[next++];
      const answer = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ timeout: true }), timeoutMs);
        const onMessage = (message) => {
          clearTimeout(timer);
          worker.off('error', onError);
          resolve(message);
        };
        const onError = (error) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          resolve({ crashed: error.message });
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.postMessage({ name: entry.name, versions: entry.versions, cacheDir });
      });
      done++;
      if (answer.timeout || answer.crashed) {
        skipped.push({
          name: entry.name,
          reason: answer.timeout ? `over ${timeoutMs / 1000} s` : answer.crashed,
        });
        log(
          `[${done}/${todo.length}] ${entry.name}: skipped (${answer.timeout ? 'time limit' : answer.crashed})`,
        );
        await worker.terminate();
        worker = await spawn();
        continue;
      }
      const saved = { name: entry.name, versions: entry.versions, rows: answer.rows, errors: answer.errors };
      save(dir, saved);
      results.set(entry.name, saved);
      if (done % 25 === 0 || done === todo.length)
        log(`[${done}/${todo.length}] ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await worker.terminate();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, todo.length)) }, lane));
  const rows = [];
  for (const entry of entries) {
    const saved = results.get(entry.name);
    if (!saved) continue;
    rows.push(...saved.rows);
    errors.push(...saved.errors);
    if (saved.rows.length === 0) skipped.push({ name: entry.name, reason: 'no pair could be analysed' });
  }
  return { rows, skipped, errors, seconds: (performance.now() - started) / 1000 };
};
