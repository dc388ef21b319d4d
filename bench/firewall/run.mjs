// bulwark firewall bench (issue 5): added latency, requests/s beside Verdaccio 6, and `npm ci`
// of a 523-package project, all against a local upstream on 127.0.0.1. Uses the built CLI
// (dist/): run `npm run build` first. Usage: node bench/firewall/run.mjs [--quick] [--skip-verdaccio]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { prepareCorpus, projectFiles } from './corpus.mjs';

const root = new URL('../..', import.meta.url).pathname;
const cacheDir = join(root, 'node_modules/.cache/bulwark/bench/firewall');
const verdaccioDir = join(root, 'node_modules/.cache/bulwark/bench/verdaccio');
// The newest Verdaccio 6 that runs on Node 20 (6.9.0 and later need Node 22).
const VERDACCIO_VERSION = '6.8.0';
const VERDACCIO = `verdaccio@${VERDACCIO_VERSION}`;
const quick = process.argv.includes('--quick');
const skipVerdaccio = process.argv.includes('--skip-verdaccio');
/** `--only=a,c` runs some parts: a latency, b requests/s, c npm ci. */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (part) => !only || only.includes(part);
const LATENCY_SAMPLES = quick ? 300 : 2000;
const LOAD_SECONDS = quick ? 5 : 15;
const CONNECTIONS = 10;
const ciRunsFlag = process.argv.find((arg) => arg.startsWith('--ci-runs='));
const CI_RUNS = ciRunsFlag ? Number(ciRunsFlag.slice('--ci-runs='.length)) : quick ? 1 : 3;
const PACKAGE = 'semver';
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

const children = [];
const cleanup = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

/** Starts a process and resolves with the first stdout match of `pattern`. */
const startProcess = (command, args, options, pattern, label) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start in 120 s:\n${out}\n${err}`)),
      120_000,
    );
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
      if (err.length > 1_000_000) err = err.slice(-100_000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}):\n${out}\n${err.slice(-4000)}`));
    });
  });

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sharedAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (url, headers = {}, agent = sharedAgent) =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (c) => {
          bytes += c.length;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: HTTP ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
/**
 * Direct and through-the-firewall requests alternate, one keep-alive connection each, so the
 * machine's noise (other processes on 2 shared cores) falls on both series alike.
 */
const latencyPair = async (directUrl, firewallUrl, headers) => {
  const direct = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const through = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 50; i++) {
    await get(directUrl, headers, direct);
    await get(firewallUrl, headers, through);
  }
  const times = { direct: [], through: [] };
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    for (const [series, url, agent] of i % 2 === 0
      ? [
          ['direct', directUrl, direct],
          ['through', firewallUrl, through],
        ]
      : [
          ['through', firewallUrl, through],
          ['direct', directUrl, direct],
        ]) {
      const t = performance.now();
      await get(url, headers, agent);
      times[series].push(performance.now() - t);
    }
  }
  direct.destroy();
  through.destroy();
  const stats = (xs) => {
    xs.sort((a, b) => a - b);
    return { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
  };
  return { direct: stats(times.direct), through: stats(times.through) };
};

const load = async (url, headers) => {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS, headers });
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx under load`);
  return { rps: result.requests.average, p99: result.latency.p99 };
};

const ms = (n) => `${n.toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- setup -------------------------------------------------------------------------------
if (!existsSync(join(root, 'dist/bundle/bulwark.mjs'))) throw new Error('build first: npm run build');
const corpus = await prepareCorpus(cacheDir, (line) => console.log(line));
console.log(
  `corpus: ${corpus.entries.length} packages (${corpus.tarballs.size} distinct tarballs), ${corpus.docs.size} packuments`,
);
const upstream = (
  await startProcess(
    process.execPath,
    [join(root, 'bench/firewall/upstream.mjs'), cacheDir],
    {},
    /listening (\S+)/,
    'upstream',
  )
).match[1];
const home = mkdtempSync(join(tmpdir(), 'bulwark-bench-fw-'));
// The built-in policy but failMode open: typescript@5.5.4 (23 MB unpacked) runs past the 10 s
// analysis limit on a loaded 2-core machine, and failMode closed would deny it and fail the npm ci.
writeFileSync(join(home, 'bulwark-firewall.yml'), 'failMode: open\n');
const fwPort = await freePort();
const firewallProcess = await startProcess(
  process.execPath,
  [join(root, 'bin/bulwark.js'), 'firewall', '--port', String(fwPort), '--upstream', `${upstream}/`],
  { cwd: home, env: { ...process.env, BULWARK_HOME: join(home, 'data'), HOME: home } },
  /listening on (http:\/\/\S+)/,
  'bulwark firewall',
);
const firewall = firewallProcess.match[1];
console.log(`upstream ${upstream}, firewall ${firewall}`);

const semverVersion = corpus.entries.find((e) => e.name === PACKAGE).version;
const tarballPath = `/${PACKAGE}/-/${PACKAGE}-${semverVersion}.tgz`;
const packumentBytes = readFileSync(join(cacheDir, 'packuments', `${PACKAGE}.json`)).length;

// --- (a) added latency --------------------------------------------------------------------
const rows = [];
if (runs('a')) {
  console.log(
    `\n(a) added latency, ${LATENCY_SAMPLES} sequential requests each way after 50 warm-up, alternating direct and firewall`,
  );
  for (const [label, path, headers] of [
    [
      `packument ${PACKAGE} (full JSON, ${Math.round(packumentBytes / 1024)} KiB)`,
      `/${PACKAGE}`,
      { accept: 'application/json' },
    ],
    [`packument ${PACKAGE} (abbreviated, as npm asks)`, `/${PACKAGE}`, { accept: CORGI }],
    [`tarball ${PACKAGE}-${semverVersion}.tgz`, tarballPath, {}],
  ]) {
    const { direct, through } = await latencyPair(`${upstream}${path}`, `${firewall}${path}`, headers);
    rows.push({ label, direct, through });
    console.log(
      `${label}: direct p50 ${ms(direct.p50)} p99 ${ms(direct.p99)} | firewall p50 ${ms(through.p50)} p99 ${ms(through.p99)} | added p50 ${ms(through.p50 - direct.p50)} p99 ${ms(through.p99 - direct.p99)} (target p99 ≤ 5 ms)`,
    );
  }
}

// --- (b) requests/s -----------------------------------------------------------------------
let directLoad;
let firewallLoad;
let verdaccioLoad;
if (runs('b')) {
  console.log(
    `\n(b) requests/s on a cached packument (${PACKAGE}, npm's Accept), autocannon ${CONNECTIONS} connections × ${LOAD_SECONDS} s`,
  );
  directLoad = await load(`${upstream}/${PACKAGE}`, { accept: CORGI });
  console.log(`upstream directly: ${Math.round(directLoad.rps)} req/s (p99 ${directLoad.p99} ms)`);
  firewallLoad = await load(`${firewall}/${PACKAGE}`, { accept: CORGI });
  console.log(`bulwark firewall:  ${Math.round(firewallLoad.rps)} req/s (p99 ${firewallLoad.p99} ms)`);
  if (!skipVerdaccio) {
    const bin = join(verdaccioDir, 'node_modules/verdaccio/bin/verdaccio');
    const installed = () => {
      try {
        return JSON.parse(readFileSync(join(verdaccioDir, 'node_modules/verdaccio/package.json'), 'utf8'))
          .version;
      } catch {
        return undefined;
      }
    };
    if (installed() !== VERDACCIO_VERSION) {
      console.log(`installing ${VERDACCIO} into ${verdaccioDir} (once)`);
      mkdirSync(verdaccioDir, { recursive: true });
      // The registry mirror here lacks node-fetch's `cjs` dist-tag (2.7.0 on npmjs), which a
      // Verdaccio dependency asks for; pin it so the install resolves.
      writeFileSync(
        join(verdaccioDir, 'package.json'),
        `${JSON.stringify({ private: true, dependencies: { verdaccio: VERDACCIO_VERSION }, overrides: { 'node-fetch': '2.7.0' } }, null, 2)}\n`,
      );
      const install = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: verdaccioDir,
        stdio: 'inherit',
      });
      if (install.status !== 0) throw new Error('could not install Verdaccio');
    }
    const vdir = mkdtempSync(join(tmpdir(), 'bulwark-bench-verdaccio-'));
    const vport = await freePort();
    writeFileSync(
      join(vdir, 'config.yaml'),
      [
        `storage: ${join(vdir, 'storage')}`,
        'uplinks:',
        '  local:',
        `    url: ${upstream}/`,
        '    maxage: 30m',
        '    cache: true',
        'packages:',
        "  '@*/*':",
        '    access: $all',
        '    proxy: local',
        "  '**':",
        '    access: $all',
        '    proxy: local',
        'log: { type: stdout, format: pretty, level: warn }',
        'auth:',
        '  htpasswd:',
        `    file: ${join(vdir, 'htpasswd')}`,
        '    max_users: -1',
        '',
      ].join('\n'),
    );
    // At log level warn Verdaccio prints nothing on start (and no line per request): poll its ping.
    const vchild = spawn(
      process.execPath,
      [bin, '--config', join(vdir, 'config.yaml'), '--listen', `127.0.0.1:${vport}`],
      {
        cwd: vdir,
        env: { ...process.env, HOME: vdir },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(vchild);
    for (let i = 0; ; i++) {
      if (vchild.exitCode !== null) throw new Error(`Verdaccio exited (${vchild.exitCode})`);
      if (
        await get(`http://127.0.0.1:${vport}/-/ping`).then(
          () => true,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error('Verdaccio did not start in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const verdaccio = `http://127.0.0.1:${vport}`;
    for (let i = 0; i < 20; i++) await get(`${verdaccio}/${PACKAGE}`, { accept: CORGI }); // fill its cache
    verdaccioLoad = await load(`${verdaccio}/${PACKAGE}`, { accept: CORGI });
    console.log(`${VERDACCIO}: ${Math.round(verdaccioLoad.rps)} req/s (p99 ${verdaccioLoad.p99} ms)`);
    console.log(`firewall / Verdaccio: ${(firewallLoad.rps / verdaccioLoad.rps).toFixed(2)}× (target ≥ 1)`);
  }
}

// --- (c) npm ci ---------------------------------------------------------------------------
let d;
let f;
if (runs('c')) {
  console.log(
    `\n(c) npm ci of ${corpus.entries.length} packages (--ignore-scripts, empty npm cache each run), median of ${CI_RUNS}`,
  );
  const project = mkdtempSync(join(tmpdir(), 'bulwark-bench-ci-'));
  const { packageJson, lock } = projectFiles(corpus, upstream);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(join(project, '.npmrc'), '');
  const npmCi = (registry) => {
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    const cache = mkdtempSync(join(tmpdir(), 'bulwark-bench-npmcache-'));
    const t = performance.now();
    const run = spawnSync(
      'npm',
      [
        'ci',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--loglevel=error',
        `--cache=${cache}`,
        `--registry=${registry}/`,
        '--replace-registry-host=127.0.0.1',
        `--userconfig=${join(project, '.npmrc')}`,
      ],
      { cwd: project, encoding: 'utf8', env: { ...process.env, HOME: project } },
    );
    const seconds = (performance.now() - t) / 1000;
    rmSync(cache, { recursive: true, force: true });
    if (run.status !== 0)
      throw new Error(`npm ci via ${registry} failed:\n${run.stdout}\n${run.stderr.slice(-3000)}`);
    return seconds;
  };
  const stats = () =>
    new Promise((resolve) => {
      http
        .get(`${upstream}/-/bench/stats`, { agent: false }, (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve(JSON.parse(text)));
        })
        .on('error', () => resolve({ tarballs: Number.NaN }));
    });
  const warm = npmCi(firewall);
  console.log(`warm-up through the firewall (cold firewall caches): ${warm.toFixed(2)} s`);
  const before = await stats();
  const directTimes = [];
  const firewallTimes = [];
  for (let i = 0; i < CI_RUNS; i++) {
    directTimes.push(npmCi(upstream));
    firewallTimes.push(npmCi(firewall));
  }
  const after = await stats();
  d = median(directTimes);
  f = median(firewallTimes);
  console.log(
    `directly from the upstream: ${d.toFixed(2)} s (${directTimes.map((x) => x.toFixed(2)).join(', ')})`,
  );
  console.log(
    `through the firewall, warm: ${f.toFixed(2)} s (${firewallTimes.map((x) => x.toFixed(2)).join(', ')})`,
  );
  console.log(
    `fastest runs: ${Math.min(...directTimes).toFixed(2)} s direct, ${Math.min(...firewallTimes).toFixed(2)} s firewall (${(Math.min(...firewallTimes) / Math.min(...directTimes)).toFixed(3)}×)`,
  );
  console.log(
    `ratio: ${(f / d).toFixed(3)}× (target ≤ 1.15×); upstream served ${after.tarballs - before.tarballs} tarballs in these runs`,
  );
}

console.log(
  `\nsummary (load average now ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores)`,
);
for (const r of rows)
  console.log(
    `  ${r.label}: added p50 ${ms(r.through.p50 - r.direct.p50)}, p99 ${ms(r.through.p99 - r.direct.p99)}`,
  );
if (firewallLoad)
  console.log(
    `  req/s: firewall ${Math.round(firewallLoad.rps)}, upstream ${Math.round(directLoad.rps)}${verdaccioLoad ? `, Verdaccio ${Math.round(verdaccioLoad.rps)} (${(firewallLoad.rps / verdaccioLoad.rps).toFixed(2)}×)` : ''}`,
  );
if (d !== undefined)
  console.log(`  npm ci: ${d.toFixed(2)} s direct, ${f.toFixed(2)} s firewall (${(f / d).toFixed(3)}×)`);
cleanup();
process.exit(0);
