// bench/analyze/warm-rescan: `bulwark scan` of a generated 1,000-package project, cold (every
// tarball downloaded and analysed) then warm (every result from the assessment cache), against
// the target of a warm re-scan in at most 1 s.
//
//   npm run build && node bench/analyze/warm-rescan.mjs [--packages 1000] [--runs 5]
//
// The packages are small generated tarballs (one in ten with a few hundred lines of code),
// served by a registry on 127.0.0.1 in this process; the scan runs the built CLI as a fresh
// process with a data directory of its own and no advisory database (matching is not timed here).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const PACKAGES = flag('--packages', 1000);
const RUNS = flag('--runs', 5);
const TARGET_MS = 1000;

const makeTgz = async (entries) => {
  const pack = tar.pack();
  const chunks = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk);
  })();
  for (const [name, content] of entries) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
};

const moduleCode = (i, lines) => {
  const out = [`'use strict';`, `const path = require('path');`];
  for (let n = 0; n < lines; n++)
    out.push(
      `exports.f${n} = (a) => path.join(String(a), '${randomBytes(4).toString('hex')}', '${i}-${n}');`,
    );
  return out.join('\n');
};

// The project and its registry.
const files = new Map();
const work = mkdtempSync(join(tmpdir(), 'bulwark-warm-rescan-'));
const project = join(work, 'project');
mkdirSync(project);
const server = createServer((req, res) => {
  const body = files.get((req.url ?? '/').split('?')[0]);
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
  res.end(body ?? '');
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const registry = `http://127.0.0.1:${server.address().port}`;

const started = Date.now();
const dependencies = {};
const packages = { '': { name: 'bench-app', version: '1.0.0', dependencies } };
for (let i = 0; i < PACKAGES; i++) {
  const name = `bench-pkg-${String(i).padStart(4, '0')}`;
  const bytes = await makeTgz([
    ['package/package.json', JSON.stringify({ name, version: '1.0.0', main: 'index.js', repository: 'x/y' })],
    ['package/index.js', moduleCode(i, i % 10 === 0 ? 300 : 10)],
  ]);
  const path = `/${name}/-/${name}-1.0.0.tgz`;
  files.set(path, bytes);
  dependencies[name] = '1.0.0';
  packages[`node_modules/${name}`] = {
    version: '1.0.0',
    resolved: `${registry}${path}`,
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
  };
}
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'bench-app', version: '1.0.0', dependencies }),
);
writeFileSync(
  join(project, 'package-lock.json'),
  JSON.stringify(
    { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
    null,
    2,
  ),
);
console.log(`generated ${PACKAGES} packages in ${Date.now() - started} ms (${work})`);

const home = join(work, 'home');
const scan = () =>
  new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    execFile(
      process.execPath,
      [join(root, 'bin/bulwark.js'), 'scan', project, '--format', 'json', '--fail-on', 'never'],
      { env: { ...process.env, BULWARK_HOME: home, BULWARK_DB: '' }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (error) return fail(error);
        done({ ms, analysis: JSON.parse(stdout).analysis });
      },
    );
  });

const cold = await scan();
console.log(
  `cold: ${cold.ms.toFixed(0)} ms, analysed ${cold.analysis.analysed}, cached ${cold.analysis.cached}, ` +
    `analysis ${cold.analysis.durationMs} ms`,
);
const warm = [];
for (let run = 0; run < RUNS; run++) warm.push(await scan());
const times = warm.map((w) => w.ms).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const last = warm.at(-1).analysis;
console.log(
  `warm: median ${median.toFixed(0)} ms of ${RUNS} (range ${times[0].toFixed(0)}–${times.at(-1).toFixed(0)} ms), ` +
    `analysed ${last.analysed}, cached ${last.cached}, analysis ${last.durationMs} ms`,
);
console.log(
  `warm/cold ${(median / cold.ms).toFixed(3)}×; warm is ${(median / TARGET_MS).toFixed(2)}× the ${TARGET_MS} ms target ` +
    `(${median <= TARGET_MS ? 'met' : 'MISSED'})`,
);
server.close();
if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
