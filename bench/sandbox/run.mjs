// `bulwark sandbox` against the same install without the sandbox, for 20 real packages from the
// registry cache. Run as root after `npm run build`: node bench/sandbox/run.mjs [--rounds 3]
//
// For each package, median of the rounds:
//   baseline  npm install --offline of the same package into a fresh project from the same warm
//             cache, then require()/import() of it: the same work with none of the sandbox. Package
//             code never runs unconfined on our machines, so the baseline runs in a bare
//             bubblewrap (read-only host, private /tmp, no network), which costs ~10 ms.
//   sandbox   `bulwark sandbox <name@version> --no-store --format json`: staging on the host, then
//             the developer run and the CI-like run in parallel, both traced.
//   one run   the same with --no-ci.
// The first pass warms the caches and reports each package's verdict (all should be clean).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGES = [
  'lodash@4.17.21',
  'chalk@4.1.2',
  'debug@4.3.4',
  'commander@11.1.0',
  'express@4.18.2',
  'axios@1.6.7',
  'uuid@9.0.1',
  'semver@7.6.0',
  'yargs@17.7.2',
  'dotenv@16.4.5',
  'ws@8.16.0',
  'minimist@1.2.8',
  'glob@10.3.10',
  'react@18.2.0',
  'esbuild@0.20.1',
  'core-js@3.36.0',
  'nodemon@3.1.0',
  'protobufjs@7.2.6',
  'prettier@3.2.5',
  'typescript@5.4.2',
];
const SMALL = 'is-number@7.0.0';

const args = process.argv.slice(2);
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 3) || 3;
// --batch-only: only the 20 packages as one install
const batchOnly = args.includes('--batch-only');
// --packages N: only the first N (a quick check of the script)
const limit = args.includes('--packages') ? Number(args[args.indexOf('--packages') + 1]) : PACKAGES.length;
const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'bin/bulwark.js');
const cache = process.env.BULWARK_SANDBOX_NPM_CACHE || '/var/cache/bulwark/sandbox-npm';
const npmCli = join(process.execPath, '../../lib/node_modules/npm/bin/npm-cli.js');

if (process.getuid?.() !== 0) {
  console.error('bench/sandbox needs root (the sandbox does)');
  process.exit(2);
}

const time = (fn) => {
  const started = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
};

const sandbox = (spec, extra = []) => {
  const run = spawnSync(
    process.execPath,
    [cli, 'sandbox', spec, '--no-store', '--no-progress', '--format', 'json', '--fail-on', 'never', ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (run.status !== 0) throw new Error(`bulwark sandbox ${spec} exited ${run.status}: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout);
};

const baseline = (spec, names = [spec.slice(0, spec.lastIndexOf('@'))]) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-base-'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      `(async () => {\n  for (const name of ${JSON.stringify(names)}) {\n    try { require(name) } catch {}\n    try { await import(name) } catch {}\n  }\n  setTimeout(() => process.exit(0), 3000).unref();\n})();\n`,
    );
    const bare = [
      '--unshare-net',
      '--unshare-pid',
      '--die-with-parent',
      '--ro-bind',
      '/',
      '/',
      '--tmpfs',
      '/tmp',
      '--bind',
      dir,
      dir,
      '--bind',
      cache,
      cache,
      ...(spec.startsWith('/') ? ['--ro-bind', spec, spec] : []),
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--chdir',
      dir,
      '--',
    ];
    execFileSync(
      'bwrap',
      [
        ...bare,
        process.execPath,
        npmCli,
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--cache',
        cache,
        spec,
      ],
      {
        stdio: 'ignore',
      },
    );
    execFileSync('bwrap', [...bare, process.execPath, 'index.js'], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(
  `bulwark sandbox vs the same install without it, ${limit} packages, median of ${rounds} rounds\n`,
);
const verdicts = [];
for (const spec of batchOnly ? [] : [...PACKAGES.slice(0, limit), SMALL]) {
  const report = sandbox(spec);
  verdicts.push({
    spec,
    verdict: report.verdict,
    findings: report.findings.filter((f) => f.kind === 'threat').map((f) => f.rule),
  });
}

const rows = [];
for (const spec of batchOnly ? [] : PACKAGES.slice(0, limit)) {
  const base = [];
  const both = [];
  const one = [];
  for (let i = 0; i < rounds; i++) {
    base.push(time(() => baseline(spec)).ms);
    both.push(time(() => sandbox(spec)).ms);
    one.push(time(() => sandbox(spec, ['--no-ci'])).ms);
  }
  rows.push({ spec, base: median(base), both: median(both), one: median(one) });
  const last = rows.at(-1);
  console.log(
    `${spec.padEnd(22)} baseline ${last.base.toFixed(0).padStart(6)} ms   sandbox ${last.both.toFixed(0).padStart(6)} ms (${(last.both / last.base).toFixed(2)}×)   one run ${last.one.toFixed(0).padStart(6)} ms (${(last.one / last.base).toFixed(2)}×)`,
  );
}
if (!batchOnly) {
  const sum = (key) => rows.reduce((total, row) => total + row[key], 0);
  console.log(
    `\ntotal: baseline ${(sum('base') / 1000).toFixed(1)} s, sandbox ${(sum('both') / 1000).toFixed(1)} s (${(sum('both') / sum('base')).toFixed(2)}× — target ≤ 2×), one run ${(sum('one') / 1000).toFixed(1)} s (${(sum('one') / sum('base')).toFixed(2)}×)`,
  );

  const small = [];
  for (let i = 0; i < Math.max(5, rounds); i++) small.push(time(() => sandbox(SMALL)).ms);
  console.log(
    `one small package (${SMALL}) end to end: median ${(median(small) / 1000).toFixed(2)} s, max ${(Math.max(...small) / 1000).toFixed(2)} s (target ≤ 5 s)`,
  );

  const flagged = verdicts.filter((v) => v.verdict !== 'clean');
  console.log(`\nverdicts: ${verdicts.length - flagged.length}/${verdicts.length} clean`);
  for (const v of flagged) console.log(`  ${v.spec}: ${v.verdict} (${v.findings.join(', ')})`);
}

// The same 20 packages as one install: a project that depends on all of them and loads each,
// sandboxed once, against that install and import without the sandbox.
const work = mkdtempSync(join(tmpdir(), 'bench-sandbox-batch-'));
try {
  const batch = join(work, 'twenty');
  mkdirSync(batch);
  const names = PACKAGES.slice(0, limit).map((spec) => spec.slice(0, spec.lastIndexOf('@')));
  writeFileSync(
    join(batch, 'package.json'),
    JSON.stringify({
      name: 'bench-twenty',
      version: '1.0.0',
      main: 'index.js',
      dependencies: Object.fromEntries(
        PACKAGES.slice(0, limit).map((spec) => [
          spec.slice(0, spec.lastIndexOf('@')),
          spec.slice(spec.lastIndexOf('@') + 1),
        ]),
      ),
    }),
  );
  writeFileSync(
    join(batch, 'index.js'),
    `for (const name of ${JSON.stringify(names)}) { try { require(name) } catch {} }\n`,
  );
  const tgz = join(
    work,
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work, batch], {
      encoding: 'utf8',
    }).trim(),
  );
  sandbox(tgz); // warm: stages the set once
  const base = [];
  const both = [];
  const one = [];
  for (let i = 0; i < rounds; i++) {
    base.push(time(() => baseline(tgz, ['bench-twenty', ...names])).ms);
    both.push(time(() => sandbox(tgz)).ms);
    one.push(time(() => sandbox(tgz, ['--no-ci'])).ms);
  }
  const [b, s2, o] = [median(base), median(both), median(one)];
  console.log(
    `\nthe ${names.length} packages as one install (a project depending on all of them): baseline ${(b / 1000).toFixed(1)} s, sandbox ${(s2 / 1000).toFixed(1)} s (${(s2 / b).toFixed(2)}× — target ≤ 2×), one run ${(o / 1000).toFixed(1)} s (${(o / b).toFixed(2)}×)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
