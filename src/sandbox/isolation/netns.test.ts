import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  applyRedirect,
  createNetns,
  deleteNetns,
  listNetns,
  netnsName,
  parseFlows,
  readFlows,
} from './netns.js';

const LISTING = `table inet sinkhole {
	set tcp4 {
		type inet_service . ipv4_addr . inet_service
		size 65535
		flags dynamic
		elements = { 37746 . 203.0.113.9 . 4444, 37750 . 198.18.0.1 . 443,
			     37752 . 198.18.0.2 . 80 }
	}

	set tcp6 {
		type inet_service . ipv6_addr . inet_service
		size 65535
		flags dynamic
	}

	set udp4 {
		type inet_service . ipv4_addr . inet_service
		size 65535
		flags dynamic
		elements = { 48445 . 198.51.100.53 . 53 }
	}

	set udp6 {
		type inet_service . ipv6_addr . inet_service
		size 65535
		flags dynamic
		elements = { 50001 . 2001:db8::53 . 53 }
	}
}
`;

describe('parseFlows', () => {
  it('reads every element of every set, multi-line lists included', () => {
    expect(parseFlows(LISTING)).toEqual([
      { protocol: 'tcp', sourcePort: 37746, address: '203.0.113.9', port: 4444 },
      { protocol: 'tcp', sourcePort: 37750, address: '198.18.0.1', port: 443 },
      { protocol: 'tcp', sourcePort: 37752, address: '198.18.0.2', port: 80 },
      { protocol: 'udp', sourcePort: 48445, address: '198.51.100.53', port: 53 },
      { protocol: 'udp', sourcePort: 50001, address: '2001:db8::53', port: 53 },
    ]);
  });

  it('an empty table has no flows', () => {
    expect(parseFlows('table inet sinkhole {\n\tset tcp4 {\n\t\tflags dynamic\n\t}\n}\n')).toEqual([]);
  });
});

const root = process.getuid?.() === 0;

describe.runIf(root)('a sandbox namespace (live, as root)', () => {
  it('redirects a literal IP to the catch-all, records the original destination, and is removed', async () => {
    const name = netnsName();
    await createNetns('ip', name);
    try {
      await applyRedirect('ip', 'nft', name, { dns: 15353, tcp: 18080, udp: 19090 });
      // Inside the namespace: a listener on the catch-all port, and a connection to a documentation IP.
      const seen = execFileSync(
        'ip',
        [
          'netns',
          'exec',
          name,
          process.execPath,
          '-e',
          `const net = require('net');
           const server = net.createServer((c) => { process.stdout.write(String(c.remotePort)); c.destroy(); server.close(); });
           server.listen(18080, () => net.connect(4444, '203.0.113.9').on('error', () => {}));
           setTimeout(() => process.exit(1), 5000).unref();`,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      const flows = await readFlows('ip', 'nft', name);
      expect(flows).toContainEqual({
        protocol: 'tcp',
        sourcePort: Number(seen),
        address: '203.0.113.9',
        port: 4444,
      });
    } finally {
      expect(await deleteNetns('ip', name)).toBe(true);
    }
    expect(await listNetns('ip')).not.toContain(name);
  });
});
