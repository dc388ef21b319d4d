import { defineRule } from '../define-rule.js';
import { factsOfKind, hostForMatching, parseIpv4 } from '../fact-queries.js';

/** Database ports (an HTTP or WebSocket client never talks to them) and known npm C2 ports. */
export const ODD_PORTS = new Map<number, string>([
  [3306, 'MySQL'],
  [5432, 'PostgreSQL'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [1433, 'SQL Server'],
  [11211, 'memcached'],
  [1224, 'BeaverTail C2'],
  [1244, 'BeaverTail C2'],
  [1245, 'BeaverTail C2'],
]);

const WEB_SCHEME = /^(?:https?|wss?):$/;
/** Documentation and placeholder host names. */
const PLACEHOLDER_HOST = /(?:^|\.)(?:example\.(?:com|net|org)|localhost|local|internal|lan)$/;

export const networkOddPort = defineRule({
  id: 'network-odd-port',
  meta: {
    kind: 'threat',
    category: 'network',
    severity: 'high',
    confidence: 'medium',
    description: 'HTTP or WebSocket URL to a named host on a database or known C2 port',
    references: [
      'https://www.aikido.dev/blog/catching-a-rat-remote-access-trojian-rand-user-agent-supply-chain-compromise',
      'https://unit42.paloaltonetworks.com/two-campaigns-by-north-korea-bad-actors-target-job-hunters/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const fact of factsOfKind(facts, 'url')) {
      if (fact.range !== undefined && fact.range !== 'reserved-name') continue;
      let url: URL;
      try {
        url = new URL(fact.value);
      } catch {
        continue;
      }
      const service = url.port ? ODD_PORTS.get(Number(url.port)) : undefined;
      if (!service || !WEB_SCHEME.test(url.protocol)) continue;
      const raw = url.hostname.toLowerCase();
      const host = hostForMatching(raw);
      // Raw IPs are network-raw-ip's; a dotless name is a compose service or a placeholder.
      if (parseIpv4(host) || raw.includes(':') || !raw.includes('.') || PLACEHOLDER_HOST.test(raw)) continue;
      report({
        message: `${url.protocol.replace(':', '')} to ${host}:${url.port}, a ${service} port`,
        at: fact.at,
      });
    }
  },
});
