import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { SinkholeFlow } from '../types.js';

const run = promisify(execFile);

/** Namespaces are named `bwk-<owner pid>-<random>`, so a later run can sweep what a killed run left. */
const PREFIX = 'bwk-';
const NAME = /^bwk-(\d+)-[0-9a-f]+$/;

/** The address on the namespace's loopback that the default route uses as its source. */
export const NETNS_SOURCE = '10.255.0.1';

export type SinkholePorts = { dns: number; tcp: number; udp: number };

export const netnsName = (): string => `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * A network namespace whose only interface is loopback and whose default routes lead back to it,
 * so every destination — names, literal IPs, hard-coded resolvers — lands on the sinkhole.
 */
export const createNetns = async (ip: string, name: string): Promise<void> => {
  await run(ip, ['netns', 'add', name]);
  try {
    await run(ip, ['-n', name, 'link', 'set', 'lo', 'up']);
    await run(ip, ['-n', name, 'addr', 'add', `${NETNS_SOURCE}/32`, 'dev', 'lo']);
    // Without a source address, redirected replies carry 0.0.0.0 and resolvers stall for a minute.
    await run(ip, ['-n', name, 'route', 'replace', 'default', 'dev', 'lo', 'src', NETNS_SOURCE]);
    await run(ip, ['-n', name, '-6', 'route', 'replace', 'default', 'dev', 'lo']).catch(() => {});
  } catch (error) {
    await deleteNetns(ip, name);
    throw error;
  }
};

/**
 * nftables in the namespace: TCP and UDP to port 53 go to the fake resolver, all other TCP and UDP
 * to the catch-all listeners; each flow's original destination is kept in a set keyed by its
 * source port, which the sinkhole sees.
 */
export const redirectRuleset = (ports: SinkholePorts): string => `
table inet sinkhole {
  set tcp4 { type inet_service . ipv4_addr . inet_service; flags dynamic; size 65535; }
  set tcp6 { type inet_service . ipv6_addr . inet_service; flags dynamic; size 65535; }
  set udp4 { type inet_service . ipv4_addr . inet_service; flags dynamic; size 65535; }
  set udp6 { type inet_service . ipv6_addr . inet_service; flags dynamic; size 65535; }
  chain output {
    type nat hook output priority -100; policy accept;
    tcp dport { ${ports.dns}, ${ports.tcp} } ip daddr 127.0.0.0/8 accept
    udp dport { ${ports.dns}, ${ports.udp} } ip daddr 127.0.0.0/8 accept
    tcp dport { ${ports.dns}, ${ports.tcp} } ip6 daddr ::1 accept
    udp dport { ${ports.dns}, ${ports.udp} } ip6 daddr ::1 accept
    meta nfproto ipv4 meta l4proto tcp update @tcp4 { tcp sport . ip daddr . tcp dport }
    meta nfproto ipv6 meta l4proto tcp update @tcp6 { tcp sport . ip6 daddr . tcp dport }
    meta nfproto ipv4 meta l4proto udp update @udp4 { udp sport . ip daddr . udp dport }
    meta nfproto ipv6 meta l4proto udp update @udp6 { udp sport . ip6 daddr . udp dport }
    tcp dport 53 redirect to :${ports.dns}
    udp dport 53 redirect to :${ports.dns}
    meta l4proto tcp redirect to :${ports.tcp}
    meta l4proto udp redirect to :${ports.udp}
  }
}
`;

export const applyRedirect = async (
  ip: string,
  nft: string,
  name: string,
  ports: SinkholePorts,
): Promise<void> => {
  const child = execFile(ip, ['netns', 'exec', name, nft, '-f', '-']);
  const done = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`nft failed in ${name}: ${stderr.trim()}`)),
    );
  });
  child.stdin?.end(redirectRuleset(ports));
  await done;
};

const SET = /set (tcp4|tcp6|udp4|udp6) \{[^}]*?elements = \{([^}]*)\}/gs;
const ELEMENT = /(\d+) \. ([0-9a-fA-F.:]+) \. (\d+)/g;

/** Every flow's original destination, read back from the namespace's sets (one `nft` call). */
export const readFlows = async (ip: string, nft: string, name: string): Promise<SinkholeFlow[]> => {
  const { stdout } = await run(ip, ['netns', 'exec', name, nft, 'list', 'table', 'inet', 'sinkhole'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseFlows(stdout);
};

/** The flows in `nft list table` output. */
export const parseFlows = (listing: string): SinkholeFlow[] => {
  const flows: SinkholeFlow[] = [];
  for (const set of listing.matchAll(SET)) {
    const protocol = set[1]!.startsWith('tcp') ? 'tcp' : 'udp';
    for (const match of set[2]!.matchAll(ELEMENT))
      flows.push({ protocol, sourcePort: Number(match[1]), address: match[2]!, port: Number(match[3]) });
  }
  return flows;
};

/** Host pids of processes still inside the namespace. */
export const netnsPids = async (ip: string, name: string): Promise<number[]> => {
  try {
    const { stdout } = await run(ip, ['netns', 'pids', name]);
    return stdout
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
};

/** Kills whatever is left inside, then removes the namespace. Never throws. */
export const deleteNetns = async (ip: string, name: string): Promise<boolean> => {
  for (const pid of await netnsPids(ip, name)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  try {
    await run(ip, ['netns', 'delete', name]);
  } catch {}
  return !(await listNetns(ip)).includes(name);
};

export const listNetns = async (ip: string): Promise<string[]> => {
  try {
    const { stdout } = await run(ip, ['netns', 'list']);
    return stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((entry) => entry.startsWith(PREFIX));
  } catch {
    return [];
  }
};

/** Removes namespaces left by sandbox runs whose process no longer exists (killed with SIGKILL). */
export const sweepStaleNetns = async (ip: string): Promise<string[]> => {
  const removed: string[] = [];
  for (const name of await listNetns(ip)) {
    const owner = Number(NAME.exec(name)?.[1]);
    if (!owner || isAlive(owner)) continue;
    await deleteNetns(ip, name);
    removed.push(name);
  }
  return removed;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
