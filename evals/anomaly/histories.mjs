// Real release histories from the registry mirror, cached in /work/cache/histories (or
// $BULWARK_HISTORIES): each package's full registry document and the tarballs of its last N stable
// releases, integrity-checked. Shared by train.mjs and evaluate.mjs; runnable alone to prefetch:
//   node evals/anomaly/histories.mjs --ranks 201-600 --versions 9
// Cache layout (files written to a temporary name in the same folder, then renamed):
//   packuments/<name>.json          full registry document (`/` in scoped names → `+`)
//   tarballs/<name>@<version>.tgz   tarball bytes, checked against dist.integrity before the rename

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = resolve(process.env.BULWARK_HISTORIES ?? '/work/cache/histories');
const TIMEOUT_MS = 60_000;

let registryUrl;
const registry = () => {
  if (registryUrl) return registryUrl;
  let url = process.env.npm_config_registry;
  if (!url) {
    try {
      url = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    } catch {
      url = 'https://registry.npmjs.org/';
    }
  }
  registryUrl = url.endsWith('/') ? url : `${url}/`;
  return registryUrl;
};

const fileName = (name) => name.replace('/', '+');

/** Writes atomically: a temporary name in the same folder, then a rename. */
const writeAtomic = (path, bytes) => {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
};

const get = async (url) => {
  const response = await fetch(url, {
    headers: { accept: 'application/json', 'user-agent': 'bulwark-evals-anomaly' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
};

/** Names from the top-1000 list, ranks `from`..`to` (1-based, inclusive). */
export const topNames = (from, to) => {
  const list = resolve(process.env.BULWARK_SHARED ?? join(root, '../shared'), 'benign/top-1000.txt');
  return readFileSync(list, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .slice(from - 1, to)
    .map((spec) => {
      const at = spec.lastIndexOf('@');
      return at > 0 ? spec.slice(0, at) : spec;
    });
};

export const parseRanks = (text, fallback) => {
  const match = /^(\d+)-(\d+)$/.exec(text ?? fallback);
  if (!match) throw new Error(`--ranks ${text}: expected FROM-TO, e.g. 201-600`);
  return [Number(match[1]), Number(match[2])];
};

/** The package's full registry document, from the cache or the registry. */
export const packument = async (name) => {
  const path = join(cacheDir, 'packuments', `${fileName(name)}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const bytes = await get(`${registry()}${name.replace('/', '%2f')}`);
  const doc = JSON.parse(new TextDecoder().decode(bytes));
  writeAtomic(path, bytes);
  return doc;
};

/** The last `count` stable releases listed in the document, oldest first (semver order, not time). */
export const lastStableVersions = (doc, count) =>
  Object.keys(doc?.versions ?? {})
    .filter((version) => semver.valid(version) && semver.prerelease(version) === null)
    .filter((version) => typeof doc.versions[version]?.dist?.tarball === 'string')
    .sort(semver.compare)
    .slice(-count);

const checkIntegrity = (bytes, dist) => {
  const sri = typeof dist.integrity === 'string' ? dist.integrity.split(/\s+/)[0] : undefined;
  if (sri?.startsWith('sha512-')) {
    const actual = createHash('sha512').update(bytes).digest('base64');
    if (actual !== sri.slice('sha512-'.length)) throw new Error('integrity mismatch');
  } else if (typeof dist.shasum === 'string') {
    if (createHash('sha1').update(bytes).digest('hex') !== dist.shasum) throw new Error('shasum mismatch');
  }
};

/** The tarball of `name@version`, integrity-checked, from the cache or the registry. */
export const tarball = async (name, version, doc) => {
  const path = join(cacheDir, 'tarballs', `${fileName(name)}@${version}.tgz`);
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  const dist = doc.versions[version].dist;
  const bytes = await get(dist.tarball);
  checkIntegrity(bytes, dist);
  writeAtomic(path, bytes);
  return bytes;
};

/** Runs `task` over `items` with at most `limit` running at once. */
export const pool = async (items, limit, task) => {
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
};

/**
 * Fetches the document and the last `versions` stable tarballs of each package (≤ `concurrency`
 * downloads at once). Resolves to one entry per package: `{ name, versions, error? }`, where
 * `versions` lists those whose tarball is now cached, oldest first.
 */
export const fetchHistories = async (names, { versions = 9, concurrency = 6, log = () => {} } = {}) => {
  const out = [];
  await pool(names, concurrency, async (name) => {
    try {
      const doc = await packument(name);
      const wanted = lastStableVersions(doc, versions);
      const got = [];
      for (const version of wanted) {
        try {
          await tarball(name, version, doc);
          got.push(version);
        } catch (error) {
          log(`${name}@${version}: ${error.message}`);
        }
      }
      out.push({ name, versions: got });
    } catch (error) {
      out.push({ name, versions: [], error: error.message });
      log(`${name}: ${error.message}`);
    }
  });
  const order = new Map(names.map((name, index) => [name, index]));
  return out.sort((a, b) => order.get(a.name) - order.get(b.name));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (flag, fallback) => {
    const at = process.argv.indexOf(flag);
    return at === -1 ? fallback : process.argv[at + 1];
  };
  const [from, to] = parseRanks(arg('--ranks'), '201-600');
  const started = performance.now();
  const result = await fetchHistories(topNames(from, to), {
    versions: Number(arg('--versions', 9)),
    concurrency: Number(arg('--concurrency', 6)),
    log: (line) => console.error(line),
  });
  const tarballs = result.reduce((sum, entry) => sum + entry.versions.length, 0);
  console.log(
    `ranks ${from}-${to}: ${result.length} packages, ${tarballs} tarballs cached, ${result.filter((entry) => entry.error).length} packages failed, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
