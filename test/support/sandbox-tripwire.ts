import { execFileSync } from 'node:child_process';

/**
 * A tripwire in the HOST network namespace: counters on everything the host sends towards the
 * addresses a sandboxed test package may try (documentation ranges, the sinkhole's 198.18.0.0/15
 * answers) and on DNS to any non-loopback resolver. The sandbox runs in its own namespace whose
 * only route is loopback, so every counter must stay 0. Traffic to the host's own addresses never
 * leaves the machine and is not counted.
 */
export const TRIPWIRE_TABLE = 'bulwark_tripwire';

const COUNTERS: Array<{ name: string; match: string }> = [
  { name: 'test_net_1', match: 'ip daddr 192.0.2.0/24' },
  { name: 'test_net_2', match: 'ip daddr 198.51.100.0/24' },
  { name: 'test_net_3', match: 'ip daddr 203.0.113.0/24' },
  { name: 'benchmark', match: 'ip daddr 198.18.0.0/15' },
  { name: 'documentation_v6', match: 'ip6 daddr 2001:db8::/32' },
  { name: 'dns_udp', match: 'udp dport 53 ip daddr != 127.0.0.0/8' },
  { name: 'dns_tcp', match: 'tcp dport 53 ip daddr != 127.0.0.0/8' },
  { name: 'dns_udp_v6', match: 'udp dport 53 ip6 daddr != ::1' },
  { name: 'dns_tcp_v6', match: 'tcp dport 53 ip6 daddr != ::1' },
];

export type TripwireCounts = Record<string, { packets: number; bytes: number }>;

/** Count only the host-side sockets of one cgroup's processes (the CLI runs under test). */
export type TripwireScope = { path: string; level: number };

const ruleset = (scope: TripwireScope | undefined): string => {
  const rules = (socketScope: string) =>
    COUNTERS.map(
      ({ name, match }) => `    ${socketScope}${match} fib daddr type != local counter name "${name}"`,
    ).join('\n');
  const owned = scope ? `socket cgroupv2 level ${scope.level} "${scope.path}" ` : '';
  return `
table inet ${TRIPWIRE_TABLE} {
${COUNTERS.map(({ name }) => `  counter ${name} {}`).join('\n')}
  chain output {
    type filter hook output priority -300; policy accept;
${rules(owned)}
  }
  chain forward {
    type filter hook forward priority -300; policy accept;
${rules('')}
  }
}
`;
};

const nft = (args: string[], input?: string): string =>
  execFileSync('nft', args, {
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input ? { input } : {}),
  });

/**
 * Creates the table afresh (a table left by a killed test run is replaced). With a scope, output
 * is counted for that cgroup's sockets only: a machine whose own network uses documentation
 * addresses (this one's is 192.0.2.0/24, with services in 203.0.113.0/24) would trip it otherwise.
 * Forwarded packets are always counted.
 */
export const installTripwire = (scope?: TripwireScope): void => {
  removeTripwire();
  nft(['-f', '-'], ruleset(scope));
};

export const removeTripwire = (): void => {
  try {
    nft(['delete', 'table', 'inet', TRIPWIRE_TABLE]);
  } catch {}
};

export const readTripwire = (): TripwireCounts => {
  const json = JSON.parse(nft(['-j', 'list', 'counters', 'table', 'inet', TRIPWIRE_TABLE])) as {
    nftables: Array<{ counter?: { name: string; packets: number; bytes: number } }>;
  };
  const counts: TripwireCounts = {};
  for (const entry of json.nftables)
    if (entry.counter)
      counts[entry.counter.name] = { packets: entry.counter.packets, bytes: entry.counter.bytes };
  for (const { name } of COUNTERS) if (!counts[name]) throw new Error(`tripwire counter ${name} is missing`);
  return counts;
};

/** Counters that moved between two readings, as `name: +packets` lines. */
export const tripped = (before: TripwireCounts, after: TripwireCounts): string[] =>
  Object.entries(after)
    .filter(([name, count]) => count.packets !== (before[name]?.packets ?? 0))
    .map(([name, count]) => `${name}: +${count.packets - (before[name]?.packets ?? 0)} packets`);
