// The ~500-package project for the `npm ci` figure: a real lockfile's subset (npm/cli's own
// dependencies plus @npmcli/template-oss: 523 packages), its real tarballs downloaded once from
// the registry into a cache, and real packuments (times moved into the past, so the release-age
// rule does not hide anything the lockfile pins).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

const LOCKFILE = new URL('../../../shared/lockfiles/npm-cli/package-lock.json', import.meta.url).pathname;
const EXTRA_ROOTS = ['@npmcli/template-oss'];
const REGISTRY = 'https://registry.npmjs.org/';

const resolveFrom = (packages, from, name) => {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
};

/** The lockfile subset: the root's registry dependencies (no workspace links) plus EXTRA_ROOTS, closed over. */
export const selectSubset = () => {
  const lock = JSON.parse(readFileSync(LOCKFILE, 'utf8'));
  const { packages } = lock;
  const root = packages[''];
  const specs = { ...root.dependencies, ...root.devDependencies };
  const direct = {};
  const keep = new Set();
  const walk = (key) => {
    if (keep.has(key)) return;
    const entry = packages[key];
    if (entry.link || !entry.resolved) throw new Error(`${key} is not a registry package`);
    keep.add(key);
    // npm ci installs non-optional peers too: leaving one out would send npm to resolve it.
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (p) => !entry.peerDependenciesMeta?.[p]?.optional,
    );
    for (const dep of [...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }), ...peers]) {
      const found = resolveFrom(packages, key, dep);
      if (found) walk(found);
    }
  };
  for (const name of [...Object.keys(root.dependencies), ...EXTRA_ROOTS]) {
    const key = resolveFrom(packages, '', name);
    if (!key || packages[key].link) continue;
    direct[name] = specs[name];
    walk(key);
  }
  const entries = [...keep].sort().map((key) => {
    const entry = packages[key];
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    return { key, name, version: entry.version, resolved: entry.resolved, integrity: entry.integrity, entry };
  });
  return { direct, entries };
};

const sha512 = (bytes) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

const download = async (url, attempts = 3) => {
  for (let i = 1; ; i++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
};

const pool = async (items, concurrency, fn) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
};

const writeAtomic = (file, bytes) => {
  writeFileSync(`${file}.tmp`, bytes);
  renameSync(`${file}.tmp`, file);
};

/** package.json from a tarball. */
const manifestOf = (tgz) =>
  new Promise((resolve, reject) => {
    const extract = tar.extract();
    let found;
    extract.on('entry', (header, stream, next) => {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        if (!found && /^[^/]+\/package\.json$/.test(header.name))
          found = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    extract.on('finish', () => (found ? resolve(found) : reject(new Error('no package.json'))));
    extract.on('error', reject);
    extract.end(gunzipSync(tgz));
  });

const MANIFEST_KEYS = [
  'name',
  'version',
  'description',
  'main',
  'bin',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'engines',
  'os',
  'cpu',
  'scripts',
  'license',
  'deprecated',
];

/**
 * Downloads (once) every tarball and packument of the subset into `cacheDir`, checks integrity,
 * and returns what the local upstream serves: `{ docs: name → packument, tarballs: path → file }`
 * with tarball URLs relative to the upstream (`/name/-/file.tgz`), plus the project.
 */
export const prepareCorpus = async (cacheDir, log = () => {}) => {
  const { direct, entries } = selectSubset();
  const tgzDir = join(cacheDir, 'tarballs');
  const docDir = join(cacheDir, 'packuments');
  mkdirSync(tgzDir, { recursive: true });
  mkdirSync(docDir, { recursive: true });
  let fetched = 0;
  await pool(entries, 8, async (e) => {
    e.file = join(tgzDir, `${createHash('sha256').update(e.integrity).digest('hex').slice(0, 32)}.tgz`);
    if (existsSync(e.file)) return;
    const bytes = await download(e.resolved);
    if (sha512(bytes) !== e.integrity) throw new Error(`${e.name}@${e.version}: integrity mismatch`);
    writeAtomic(e.file, bytes);
    fetched++;
  });
  const names = [...new Set(entries.map((e) => e.name))];
  await pool(names, 8, async (name) => {
    const file = join(docDir, `${encodeURIComponent(name)}.json`);
    if (existsSync(file)) return;
    const bytes = await download(`${REGISTRY}${name.replace('/', '%2f')}`);
    writeAtomic(file, bytes);
    fetched++;
  });
  if (fetched > 0) log(`downloaded ${fetched} files from ${REGISTRY} into ${cacheDir}`);

  const docs = new Map();
  const tarballs = new Map();
  for (const name of names) {
    const doc = JSON.parse(readFileSync(join(docDir, `${encodeURIComponent(name)}.json`), 'utf8'));
    docs.set(name, doc);
  }
  for (const e of entries) {
    const doc = docs.get(e.name);
    const base = e.name.split('/').pop();
    const path = `/${e.name}/-/${base}-${e.version}.tgz`;
    tarballs.set(path, e.file);
    e.path = path;
    if (!doc.versions?.[e.version]) {
      // The mirror lacks some versions: describe it from its own package.json.
      const manifest = await manifestOf(readFileSync(e.file));
      const kept = Object.fromEntries(
        MANIFEST_KEYS.filter((k) => k in manifest).map((k) => [k, manifest[k]]),
      );
      doc.versions ??= {};
      doc.versions[e.version] = { ...kept, name: e.name, version: e.version, dist: {} };
    }
    const bytes = readFileSync(e.file);
    doc.versions[e.version].dist = {
      ...doc.versions[e.version].dist,
      integrity: e.integrity,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    };
  }
  for (const [name, doc] of docs) {
    // Only versions whose tarball is served keep a tarball URL; every version's time is moved a
    // year back in its original order, so no release-age rule applies.
    const versions = Object.keys(doc.versions ?? {});
    const base = name.split('/').pop();
    doc.time = { created: '2024-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z' };
    versions.forEach((version, i) => {
      doc.versions[version].dist.tarball = `/${name}/-/${base}-${version}.tgz`;
      doc.time[version] = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
    });
  }
  return { direct, entries, docs, tarballs };
};

/** package.json and package-lock.json (v3) for the subset, tarballs resolved at `upstream`. */
export const projectFiles = ({ direct, entries }, upstream) => {
  const base = upstream.replace(/\/$/, '');
  const packageJson = {
    name: 'bench-firewall-project',
    version: '1.0.0',
    private: true,
    dependencies: direct,
  };
  const packages = { '': { name: packageJson.name, version: packageJson.version, dependencies: direct } };
  for (const e of entries) packages[e.key] = { ...e.entry, resolved: `${base}${e.path}` };
  const lock = {
    name: packageJson.name,
    version: packageJson.version,
    lockfileVersion: 3,
    requires: true,
    packages,
  };
  return { packageJson, lock };
};
