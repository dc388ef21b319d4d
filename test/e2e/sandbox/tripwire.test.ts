import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunCgroup, type RunCgroup } from '../../support/sandbox-cgroup.js';
import { LOCK_WAIT_MS } from '../../support/sandbox-e2e.js';
import { acquireSandboxLock } from '../../support/sandbox-lock.js';
import { ensureSandboxPrimitives } from '../../support/sandbox-primitives.js';
import { installTripwire, readTripwire, removeTripwire } from '../../support/sandbox-tripwire.js';

// The control for every "nothing left the machine" test: the tripwire must count what a run's
// processes send, and only that. The packets go over a veth into a namespace made here (never off
// the machine) to 198.19.255.2, inside the 198.18.0.0/15 range the tripwire watches.
const NETNS = 'e2etrip-control';
const VETH = 'e2etripA';
const PEER = 'e2etripB';

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: 'pipe' });
};

const send = (port: number, procsFile?: string): void => {
  const script = `require('dgram').createSocket('udp4').send('x', ${port}, '198.19.255.2', (e) => process.exit(e ? 1 : 0))`;
  const argv = procsFile
    ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', procsFile, process.execPath, '-e', script]
    : [process.execPath, '-e', script];
  const run = spawnSync(argv[0]!, argv.slice(1), { timeout: 10_000 });
  expect(run.status, String(run.stderr)).toBe(0);
};

describe('the host tripwire (control)', () => {
  let release: (() => void) | undefined;
  let cgroup: RunCgroup | undefined;

  beforeAll(async () => {
    release = await acquireSandboxLock(LOCK_WAIT_MS);
    ensureSandboxPrimitives();
    try {
      ip('link', 'del', VETH);
    } catch {}
    try {
      ip('netns', 'del', NETNS);
    } catch {}
    ip('netns', 'add', NETNS);
    ip('link', 'add', VETH, 'type', 'veth', 'peer', 'name', PEER, 'netns', NETNS);
    ip('addr', 'add', '198.19.255.1/30', 'dev', VETH);
    ip('link', 'set', VETH, 'up');
    ip('-n', NETNS, 'addr', 'add', '198.19.255.2/30', 'dev', PEER);
    ip('-n', NETNS, 'link', 'set', PEER, 'up');
    cgroup = createRunCgroup(`bulwark-e2e-control-${process.pid}`);
    installTripwire(cgroup?.nft);
  }, LOCK_WAIT_MS + 30_000);

  afterAll(() => {
    removeTripwire();
    cgroup?.remove();
    try {
      ip('netns', 'del', NETNS);
    } catch {}
    try {
      ip('link', 'del', VETH);
    } catch {}
    release?.();
  });

  it("counts a run's packets to a watched range and to a non-loopback resolver", () => {
    send(9, cgroup?.procsFile);
    send(53, cgroup?.procsFile);
    const counts = readTripwire();
    expect(counts.benchmark?.packets).toBe(2);
    expect(counts.dns_udp?.packets).toBe(1);
    expect(counts.test_net_3?.packets).toBe(0);
  });

  it('ignores the rest of the machine when the run has a cgroup of its own', () => {
    if (!cgroup?.nft) return;
    const before = readTripwire().benchmark?.packets;
    send(9);
    expect(readTripwire().benchmark?.packets).toBe(before);
  });
});
