// evals/transitions: false positives of the transition verdict (`bulwark diff`) on real release
// histories (issue #4: no `malicious` transition among the 200 most downloaded packages' last ten
// releases each).
//
//   node evals/transitions/run.mjs [--limit N] [--from RANK] [--packages a,b,c] [--workers N]
//                                  [--downloads N] [--package-timeout S] [--versions N]
//
// For each package of ranks FROM..FROM+N-1 of /work/shared/benign/top-1000.txt (or the --packages
// named): its full registry document, its last --versions (10) stable releases in semver order
// (prereleases skipped; versions the registry cannot serve are skipped too), and every consecutive
// pair of them diffed as `bulwark diff <name> <from> <to>` diffs them (src/cli/commands/diff.ts):
// each tarball read in memory (never extracted, never run) and analysed once with analyzeSide
// (the registry document as its context; older releases first, with a per-file facts cache as the
// CLI's, so a release parses only the files that changed; --no-cache parses every file), then
// diffReleases with the graded registry-metadata transitions between the two releases, the
// release's publish time, and new dependencies looked up on the registry and analysed
// (--no-dependency-lookup skips that, as `bulwark diff --offline` does).
//
// The code is bundled from src/ (or --src DIR, a copy with a proposed fix) with rolldown into
// evals/.cache/transitions/code-<pid> first (as bench/analyze does), so no build of dist/ is
// needed, the figures are for src/ as it is, and a rebuild of dist/ by someone else during a run
// changes nothing.
//
// Downloads go to the shared cache /work/cache/histories/ (BULWARK_HISTORIES overrides), written
// atomically, integrity-checked, in the layout evals/anomaly/histories.mjs uses:
// packuments/<name>.json and tarballs/<name>@<version>.tgz, `/` in a scoped name written as `+`.
// Analysis runs in --workers (2) worker threads, one package at a time each, killed and counted as
// timed out after --package-timeout (600) seconds.
//
// Output: a summary on stdout; evals/transitions/results.json (figures and every suspicious or
// malicious transition with its reasons and evidence; committed); every transition in detail in
// evals/.cache/transitions/<results name>-transitions.json (not committed).

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// One bundle per run, so two runs (this checkout and a proposed fix) can go side by side.
const codeDir = isMainThread
  ? join(root, 'evals/.cache/transitions', `code-${process.pid}`)
  : workerData.codeDir;

if (isMainThread) await main();
else await worker();

async function main() {
  const { values: args } = parseArgs({
    options: {
      limit: { type: 'string', default: '200' },
      from: { type: 'string', default: '1' },
      packages: { type: 'string' },
      workers: { type: 'string', default: '2' },
      downloads: { type: 'string', default: '6' },
      'package-timeout': { type: 'string', default: '600' },
      versions: { type: 'string', default: '10' },
      out: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      'no-dependency-lookup': { type: 'boolean', default: false },
      // Another copy of src/ (a proposed fix) to bundle and measure instead of this checkout's.
      src: { type: 'string' },
    },
  });
  const cacheDir = resolve(process.env.BULWARK_HISTORIES ?? '/work/cache/histories');
  const registry = registryUrl();
  const keep = Number(args.versions);
  const started = performance.now();

  const listPath = resolve(process.env.BULWARK_SHARED ?? join(root, '../shared'), 'benign/top-1000.txt');
  const ranked = readFileSync(listPath, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((spec, i) => ({
      name: spec.slice(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : undefined),
      rank: i + 1,
    }));
  const targets = args.packages
    ? args.packages.split(',').map((name) => ({
        name: name.trim(),
        rank: ranked.find((r) => r.name === name.trim())?.rank ?? 0,
      }))
    : ranked.slice(Number(args.from) - 1, Number(args.from) - 1 + Number(args.limit));

  await bundle(resolve(args.src ?? join(root, 'src')));
  const semver = (await import('semver')).default;

  // ----- downloads: packument, then the last stable releases' tarballs, a few packages at once -----
  const download = async (target) => {
    const t = performance.now();
    const packumentPath = join(cacheDir, 'packuments', `${fileName(target.name)}.json`);
    if (!existsSync(packumentPath)) {
      const res = await fetchRetrying(`${registry}${target.name.replace('/', '%2f')}`);
      if (!res.ok) throw new Error(`registry document: HTTP ${res.status}`);
      const text = await res.text();
      JSON.parse(text);
      writeAtomic(packumentPath, text);
    }
    const packument = JSON.parse(readFileSync(packumentPath, 'utf8'));
    const versions = Object.keys(packument.versions ?? {})
      .filter((v) => semver.valid(v) && semver.prerelease(v) === null)
      .sort(semver.compare)
      .slice(-keep);
    const available = [];
    const missing = [];
    for (const version of versions) {
      const dist = packument.versions[version]?.dist ?? {};
      const path = join(cacheDir, 'tarballs', `${fileName(target.name)}@${version}.tgz`);
      try {
        if (!existsSync(path)) {
          if (typeof dist.tarball !== 'string') throw new Error('no dist.tarball');
          const res = await fetchRetrying(dist.tarball);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const bytes = new Uint8Array(await res.arrayBuffer());
          checkIntegrity(bytes, dist);
          writeAtomic(path, bytes);
        }
        available.push({ version, path, integrity: dist.integrity ?? `sha1-${dist.shasum ?? ''}` });
      } catch (error) {
        missing.push({ version, error: message(error) });
      }
    }
    return { ...target, packumentPath, versions, available, missing, downloadMs: performance.now() - t };
  };

  // ----- analysis: a pool of worker threads, one package at a time each -----
  const pool = createPool(Number(args.workers), Number(args['package-timeout']) * 1000, {
    cache: !args['no-cache'],
    lookup: !args['no-dependency-lookup'],
  });
  const packages = [];
  const pending = [];
  let nextDownload = 0;
  const downloader = async () => {
    while (nextDownload < targets.length) {
      const target = targets[nextDownload++];
      let fetched;
      try {
        fetched = await download(target);
      } catch (error) {
        packages.push({
          name: target.name,
          rank: target.rank,
          error: `download: ${message(error)}`,
          transitions: [],
        });
        continue;
      }
      pending.push(
        pool.run(fetched).then((result) => {
          packages.push({
            name: fetched.name,
            rank: fetched.rank,
            versions: fetched.versions,
            missing: fetched.missing,
            downloadMs: Math.round(fetched.downloadMs),
            ...result,
          });
          const done = packages.length;
          const bad = result.transitions.filter((t) => t.verdict !== 'benign').length;
          process.stderr.write(
            `[${done}/${targets.length}] ${fetched.name}: ${result.transitions.length} transitions${bad ? `, ${bad} not benign` : ''}${result.error ? ` (${result.error})` : ''}\n`,
          );
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Number(args.downloads) }, downloader));
  await Promise.all(pending);
  pool.close();
  rmSync(codeDir, { recursive: true, force: true });

  // ----- figures -----
  packages.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  const transitions = packages.flatMap((p) => p.transitions);
  const count = (verdict) => transitions.filter((t) => t.verdict === verdict).length;
  const pct = (n) => `${((100 * n) / Math.max(1, transitions.length)).toFixed(1)}%`;
  const seconds = Math.round((performance.now() - started) / 1000);
  const flagged = transitions.filter((t) => t.verdict !== 'benign');
  const metadataKinds = {};
  for (const t of transitions)
    for (const m of t.metadata)
      metadataKinds[`${m.kind} (${m.severity})`] = (metadataKinds[`${m.kind} (${m.severity})`] ?? 0) + 1;
  const summary = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    packages: targets.length,
    packagesEvaluated: packages.filter((p) => p.transitions.length > 0).length,
    packagesFailed: packages.filter((p) => p.error).map((p) => ({ name: p.name, error: p.error })),
    versionsMissing: packages.flatMap((p) =>
      (p.missing ?? []).map((m) => `${p.name}@${m.version}: ${m.error}`),
    ),
    versionsAnalysed: packages.reduce((n, p) => n + (p.analysed ?? 0), 0),
    sidesTruncated: packages.flatMap((p) => (p.truncated ?? []).map((v) => `${p.name}@${v}`)),
    pairs: transitions.length,
    verdicts: { benign: count('benign'), suspicious: count('suspicious'), malicious: count('malicious') },
    percent: { suspicious: pct(count('suspicious')), malicious: pct(count('malicious')) },
    metadataTransitions: metadataKinds,
    seconds,
    analysisSeconds: Math.round(packages.reduce((n, p) => n + (p.analysisMs ?? 0), 0) / 1000),
    flagged: flagged.map((t) => ({
      package: t.name,
      from: t.from,
      to: t.to,
      verdict: t.verdict,
      reasons: t.reasons,
      sides: `${t.fromVerdict} ${t.fromScore} → ${t.toVerdict} ${t.toScore}`,
      evidence: t.evidence.map(
        (f) => `${f.rule} (${f.severity}, ${f.confidence}) ${f.file ?? ''}${f.line ? `:${f.line}` : ''}`,
      ),
    })),
  };

  console.log(
    `${summary.packages} packages (${summary.packagesEvaluated} with at least one pair), ${summary.versionsAnalysed} versions analysed, ${summary.pairs} transitions, ${seconds} s`,
  );
  console.log(`  benign      ${count('benign')} (${pct(count('benign'))})`);
  console.log(`  suspicious  ${count('suspicious')} (${pct(count('suspicious'))})`);
  console.log(`  malicious   ${count('malicious')} (${pct(count('malicious'))})`);
  if (Object.keys(metadataKinds).length > 0)
    console.log(
      `metadata transitions: ${Object.entries(metadataKinds)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ')}`,
    );
  for (const verdict of ['malicious', 'suspicious']) {
    const list = flagged.filter((t) => t.verdict === verdict);
    if (list.length === 0) continue;
    console.log(`\n${verdict}:`);
    for (const t of list) {
      console.log(
        `  ${t.name} ${t.from} → ${t.to}  (${t.fromVerdict} ${t.fromScore} → ${t.toVerdict} ${t.toScore})`,
      );
      for (const reason of t.reasons) console.log(`    - ${reason}`);
    }
  }
  if (summary.packagesFailed.length > 0) {
    console.log('\nnot evaluated:');
    for (const p of summary.packagesFailed) console.log(`  ${p.name}: ${p.error}`);
  }
  if (summary.versionsMissing.length > 0)
    console.log(`\nversions the registry could not serve: ${summary.versionsMissing.length}`);
  if (summary.sidesTruncated.length > 0)
    console.log(`versions whose analysis hit the time budget: ${summary.sidesTruncated.join(', ')}`);

  const full = args.packages === undefined && args.out === undefined;
  const outPath = args.out
    ? resolve(args.out)
    : full
      ? join(root, 'evals/transitions/results.json')
      : join(root, 'evals/.cache/transitions/results.json');
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(summary, null, 2)}\n`);
  // The committed file passes the project's lint (`biome ci .`) as written.
  if (outPath.startsWith(`${root}/evals/transitions/`))
    try {
      execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', outPath], {
        stdio: 'ignore',
      });
    } catch {
      console.error(`could not format ${outPath} with biome`);
    }
  const detailPath = join(root, 'evals/.cache/transitions', `${basename(outPath, '.json')}-transitions.json`);
  writeFileSync(detailPath, `${JSON.stringify(packages)}\n`);
  console.log(`\nwrote ${outPath} and ${detailPath}`);
}

// ----- worker: analyse each version once, diff consecutive ones -----
async function worker() {
  const load = (name) => import(pathToFileURL(join(codeDir, `${name}.mjs`)).href);
  const { readTarball } = await load('read-tarball');
  const { analyzeSide } = await load('analyze-side');
  const { diffReleases, publishTime } = await load('diff-releases');
  const { registryDependencySource } = await load('dependency-source');
  const { metadataTransitions } = await load('transitions');
  const { gradeTransitions } = await load('grading');
  const { ANALYZER_VERSION } = await load('analyze');
  const { createFileFactsCache } = await load('file-facts-cache');

  // As src/cli/commands/diff.ts metadataOf: the transitions when both sides are the same package.
  const metadataOf = (packument, from, to) =>
    packument === undefined || from.assessment.name !== to.assessment.name || !from.assessment.version
      ? []
      : gradeTransitions(metadataTransitions(packument, from.assessment.version, to.assessment.version));

  parentPort.on('message', async (job) => {
    const started = performance.now();
    const transitions = [];
    const truncated = [];
    let analysed = 0;
    try {
      const packument = JSON.parse(readFileSync(job.packumentPath, 'utf8'));
      // One cache per package, as `bulwark diff`'s persistent one would be after the older pairs.
      const cache = workerData.cache ? createFileFactsCache(ANALYZER_VERSION) : undefined;
      const dependencies = workerData.lookup ? registryDependencySource() : { skipped: 'offline' };
      let previous;
      for (const { version, path, integrity } of job.available) {
        const source = `${job.name}@${version}`;
        const contents = await readTarball(readFileSync(path), { source });
        const side = analyzeSide(
          contents.files,
          { name: job.name, version, integrity },
          { packument, archive: contents.problems },
          cache,
        );
        analysed++;
        if (side.facts.files.some((f) => f.factsTruncated)) truncated.push(version);
        if (previous) {
          const releaseTime = publishTime(packument, side.assessment.version);
          const diff = await diffReleases(previous.side, side, {
            metadata: metadataOf(packument, previous.side, side),
            dependencies,
            ...(releaseTime === undefined ? {} : { releaseTime }),
            // The package's own history, for the release anomaly score (ignored by older code).
            packument,
          });
          transitions.push(compact(job.name, previous.version, version, diff));
        }
        previous = { version, side };
      }
      parentPort.postMessage({ transitions, truncated, analysed, analysisMs: performance.now() - started });
    } catch (error) {
      parentPort.postMessage({
        transitions,
        truncated,
        analysed,
        analysisMs: performance.now() - started,
        error: `analysis: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });
}

const compact = (name, from, to, diff) => {
  const d = diff.delta;
  return {
    name,
    from,
    to,
    verdict: diff.transition.verdict,
    reasons: diff.transition.reasons,
    fromVerdict: diff.from.verdict,
    fromScore: diff.from.score,
    toVerdict: diff.to.verdict,
    toScore: diff.to.score,
    evidence: diff.transition.evidence.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      confidence: f.confidence,
      file: f.file,
      line: f.line,
      message: String(f.message ?? '').slice(0, 300),
    })),
    delta: {
      added: d.added,
      removed: d.removed,
      installScripts: d.installScripts,
      hosts: d.hosts.length,
      ips: d.ips,
      sensitivePaths: d.sensitivePaths,
      obfuscatedFiles: d.obfuscatedFiles,
      minifiedFiles: d.minifiedFiles.length,
      binaryFiles: d.binaryFiles.length,
      dependenciesAdded: d.dependencies.added.map((c) => c.name),
      // New dependencies as the registry lookup saw them (brand new, little used, own verdict).
      newDependencies: [...d.dependencies.added, ...d.dependencies.changed]
        .filter((c) => c.registry !== undefined)
        .map((c) => ({
          name: c.name,
          brandNew: c.registry.brandNew,
          littleUsed: c.registry.littleUsed,
          verdict: c.registry.verdict,
          signals: c.registry.signals,
        })),
      exportsRemoved: d.exportsRemoved,
      files: {
        added: d.files.added.length,
        removed: d.files.removed.length,
        changed: d.files.changed.length,
      },
    },
    metadata: diff.metadata.map((m) => ({ kind: m.kind, severity: m.severity, message: m.message })),
    ...(diff.anomaly === undefined ? {} : { anomaly: diff.anomaly }),
  };
};

// ----- helpers (main thread) -----
async function bundle(src) {
  const { rolldown } = await import('rolldown');
  const build = await rolldown({
    input: {
      'read-tarball': join(src, 'tarball/read-tarball.ts'),
      'analyze-side': join(src, 'diff/analyze-side.ts'),
      'diff-releases': join(src, 'diff/diff-releases.ts'),
      'dependency-source': join(src, 'diff/dependency-source.ts'),
      transitions: join(src, 'diff/metadata/transitions.ts'),
      grading: join(src, 'diff/metadata/grading.ts'),
      analyze: join(src, 'analysis/analyze.ts'),
      'file-facts-cache': join(src, 'analysis/file-facts-cache.ts'),
    },
    platform: 'node',
    external: [/^[^./]/],
    logLevel: 'warn',
  });
  await build.write({
    dir: codeDir,
    format: 'esm',
    entryFileNames: '[name].mjs',
    chunkFileNames: '[name]-[hash].mjs',
  });
  await build.close();
}

function createPool(size, timeoutMs, options) {
  const queue = [];
  const idle = [];
  const spawn = () => {
    const w = new Worker(fileURLToPath(import.meta.url), {
      workerData: { ...options, codeDir },
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
    return w;
  };
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      let w = idle.pop();
      const { job, done } = queue.shift();
      let settled = false;
      const finish = (result, replace) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        if (replace) {
          w.terminate();
          w = spawn();
        }
        idle.push(w);
        done(result);
        dispatch();
      };
      const timer = setTimeout(
        () =>
          finish(
            { transitions: [], error: `timed out after ${timeoutMs / 1000} s`, analysisMs: timeoutMs },
            true,
          ),
        timeoutMs,
      );
      w.once('message', (result) => finish(result, false));
      w.once('error', (error) => finish({ transitions: [], error: `worker: ${message(error)}` }, true));
      w.postMessage(job);
    }
  };
  for (let i = 0; i < size; i++) idle.push(spawn());
  return {
    run: (job) =>
      new Promise((done) => {
        queue.push({ job, done });
        dispatch();
      }),
    close: () => {
      for (const w of idle) w.terminate();
    },
  };
}

function registryUrl() {
  const fromEnv = process.env.npm_config_registry;
  let url = fromEnv;
  if (!url) {
    try {
      url = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    } catch {
      url = 'https://registry.npmjs.org/';
    }
  }
  return url.endsWith('/') ? url : `${url}/`;
}

async function fetchRetrying(url, tries = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
      if (res.status >= 500 && attempt < tries) throw new Error(`HTTP ${res.status}`);
      return res;
    } catch (error) {
      if (attempt >= tries) throw error;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

function checkIntegrity(bytes, dist) {
  const sri =
    typeof dist.integrity === 'string'
      ? dist.integrity.split(/\s+/).find((s) => s.startsWith('sha512-'))
      : undefined;
  if (sri) {
    const got = createHash('sha512').update(bytes).digest('base64');
    if (`sha512-${got}` !== sri) throw new Error('integrity mismatch');
  } else if (typeof dist.shasum === 'string') {
    if (createHash('sha1').update(bytes).digest('hex') !== dist.shasum) throw new Error('shasum mismatch');
  }
}

function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function fileName(name) {
  return name.replace('/', '+');
}

function message(error) {
  return error instanceof Error ? error.message : String(error);
}

function gitCommit() {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
