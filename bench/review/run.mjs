// bench/review: `bulwark review` of a real lockfile change touching 50 packages, cold (fresh data
// directory: every registry document and tarball downloaded, every pair analysed) and warm (every
// result cached), against the issue's targets: at most 10 s cold and 1 s warm.
//
//   npm run build && node bench/review/run.mjs [--changes 50] [--runs 5] [--lockfile <dir>] [--rebuild]
//
// The base is a real package-lock.json v3 (npm/cli's, from /work/shared/lockfiles/npm-cli). The
// head changes `--changes` of its registry packages to other real versions published on the
// registry in .npmrc (the next newer version where there is one, else the one before it: a
// downgrade), each with that version's real `resolved` and `integrity`. The chosen change is
// stored in bench/.out/review/ so later runs review the same one (--rebuild chooses again).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const CHANGES = Number(option('--changes', 50));
const RUNS = Number(option('--runs', 5));
const SOURCE = option('--lockfile', '/work/shared/lockfiles/npm-cli');
const COLD_TARGET_MS = 10_000;
const WARM_TARGET_MS = 1_000;

const out = join(root, 'bench/.out/review');
const baseDir = join(out, 'base');
const headDir = join(out, 'head');
const choiceFile = join(out, 'changes.json');

// CPU time (user + system, worker threads included) beside wall time: on the shared 2-core
// machines wall time moves several-fold with other people's load, CPU time much less.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const run = (cmd, argv, env, cwd) =>
  new Promise((done) => {
    const started = process.hrtime.bigint();
    const [file, args] = TIME ? [TIME, ['-f', 'cpu %U %S', cmd, ...argv]] : [cmd, argv];
    execFile(file, args, { env, cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      done({
        code: error ? (error.code ?? 1) : 0,
        stdout,
        stderr: cpu ? stderr.slice(0, cpu.index) : stderr,
        ms,
        cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined,
      });
    });
  });

const registry = await new Promise((done) =>
  execFile('npm', ['config', 'get', 'registry'], (_, stdout) =>
    done((stdout || '').trim() || 'https://registry.npmjs.org/'),
  ),
);

const semverParts = (v) => {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? m.slice(1).map(Number) : undefined;
};
const compare = (a, b) => {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/** The head lockfile: `CHANGES` registry packages moved to other real versions. */
const chooseChanges = async () => {
  const lock = JSON.parse(readFileSync(join(SOURCE, 'package-lock.json'), 'utf8'));
  const byName = new Map();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (
      !key.includes('node_modules/') ||
      entry.link ||
      entry.inBundle ||
      !entry.resolved?.startsWith('http') ||
      !entry.integrity
    )
      continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(key);
  }
  // Names with one installed version, spread over the alphabet.
  const names = [...byName]
    .filter(([, keys]) => keys.length === 1)
    .map(([name]) => name)
    .sort();
  const step = Math.max(1, Math.floor(names.length / (CHANGES * 1.5)));
  const chosen = [];
  for (let i = 0; i < names.length && chosen.length < CHANGES; i += step) {
    const name = names[i];
    const key = byName.get(name)[0];
    const current = lock.packages[key].version;
    const response = await fetch(`${registry}${name.replace('/', '%2f')}`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) continue;
    const doc = await response.json();
    const have = semverParts(current);
    if (!have) continue;
    const versions = Object.entries(doc.versions ?? {})
      .filter(([v, m]) => semverParts(v) && m?.dist?.integrity && m?.dist?.tarball)
      .sort((a, b) => compare(semverParts(a[0]), semverParts(b[0])));
    const newer = versions.find(([v]) => compare(semverParts(v), have) > 0);
    const older = versions.filter(([v]) => compare(semverParts(v), have) < 0).at(-1);
    // Every tenth change is a downgrade where an older version exists.
    const pick = chosen.length % 10 === 9 && older ? older : (newer ?? older);
    if (!pick) continue;
    const [version, manifest] = pick;
    chosen.push({
      key,
      name,
      from: current,
      to: version,
      resolved: manifest.dist.tarball,
      integrity: manifest.dist.integrity,
    });
  }
  return chosen;
};

if (args.includes('--rebuild') || !existsSync(choiceFile)) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(baseDir, { recursive: true });
  mkdirSync(headDir, { recursive: true });
  const changes = await chooseChanges();
  cpSync(join(SOURCE, 'package-lock.json'), join(baseDir, 'package-lock.json'));
  cpSync(join(SOURCE, 'package.json'), join(baseDir, 'package.json'));
  cpSync(join(SOURCE, 'package.json'), join(headDir, 'package.json'));
  const lock = JSON.parse(readFileSync(join(SOURCE, 'package-lock.json'), 'utf8'));
  for (const change of changes) {
    Object.assign(lock.packages[change.key], {
      version: change.to,
      resolved: change.resolved,
      integrity: change.integrity,
    });
  }
  writeFileSync(join(headDir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(choiceFile, `${JSON.stringify(changes, null, 2)}\n`);
}
const changes = JSON.parse(readFileSync(choiceFile, 'utf8'));
const downgrades = changes.filter((c) => compare(semverParts(c.to), semverParts(c.from)) < 0).length;
console.log(
  `change: ${changes.length} packages of ${SOURCE}/package-lock.json (${changes.length - downgrades} upgrades, ${downgrades} downgrades), registry ${registry}`,
);

const home = mkdtempSync(join(tmpdir(), 'bulwark-bench-review-'));
const env = { ...process.env, BULWARK_HOME: home, NO_COLOR: '1' };
const cli = process.env.BULWARK_BENCH_CLI ?? join(root, 'bin/bulwark.js');
const argv = [
  cli,
  'review',
  join(baseDir, 'package-lock.json'),
  join(headDir, 'package-lock.json'),
  '--format',
  'json',
  '--fail-on',
  'never',
];

const cold = await run(process.execPath, argv, env, out);
if (cold.code !== 0) {
  console.error(`cold run failed (exit ${cold.code}): ${cold.stderr}`);
  process.exit(1);
}
const report = JSON.parse(cold.stdout);
const warm = [];
const warmCpu = [];
for (let i = 0; i < RUNS; i++) {
  const result = await run(process.execPath, argv, env, out);
  if (result.code !== 0) {
    console.error(`warm run failed (exit ${result.code}): ${result.stderr}`);
    process.exit(1);
  }
  const again = JSON.parse(result.stdout);
  if (again.summary.cached !== again.summary.changes - again.summary.removed - again.summary.notAnalysed)
    console.error(
      `warning: warm run ${i + 1} had ${again.summary.cached} cached of ${again.summary.changes}`,
    );
  warm.push(result.ms);
  if (result.cpuMs !== undefined) warmCpu.push(result.cpuMs);
}
warm.sort((a, b) => a - b);
warmCpu.sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)];
const cpuMedian = warmCpu[Math.floor(warmCpu.length / 2)];
const version = await run(process.execPath, [cli, '--version'], env, out);
const s = report.summary;
console.log(
  `review: ${s.changes} changes (${s.upgraded} upgraded, ${s.downgraded} downgraded, ${s.added} added, ${s.removed} removed); verdicts: ${s.benign} benign, ${s.suspicious} suspicious, ${s.malicious} malicious, ${s.notAnalysed} not analysed`,
);
for (const c of report.changes.filter((c) => c.verdict !== 'benign'))
  console.log(`  ${c.verdict} ${c.kind} ${c.name} ${c.from ?? ''} → ${c.to ?? ''}: ${c.reasons.join('; ')}`);
console.log(
  `cold: ${(cold.ms / 1000).toFixed(2)} s (${(cold.ms / COLD_TARGET_MS).toFixed(2)}× the 10 s target)${cold.cpuMs === undefined ? '' : `; CPU ${(cold.cpuMs / 1000).toFixed(2)} s over all threads`}`,
);
console.log(
  `warm: median ${median.toFixed(0)} ms over ${RUNS} runs (${warm[0].toFixed(0)}–${warm.at(-1).toFixed(0)} ms), ${(median / WARM_TARGET_MS).toFixed(2)}× the 1 s target, ${(median / cold.ms).toFixed(3)}× cold`,
);
if (cpuMedian !== undefined) console.log(`warm CPU: median ${cpuMedian.toFixed(0)} ms`);
console.log(
  `baseline: bulwark --version ${version.ms.toFixed(0)} ms wall${version.cpuMs === undefined ? '' : `, ${version.cpuMs.toFixed(0)} ms CPU`}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores`,
);
if (!args.includes('--keep')) rmSync(home, { recursive: true, force: true });
