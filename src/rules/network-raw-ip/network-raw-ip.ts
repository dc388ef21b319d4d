import { defineRule } from '../define-rule.js';
import { factsOfKind, isLocalIpv4, isTestFile, parseIpv4 } from '../fact-queries.js';

/** Ports of databases and of known npm C2 servers, odd for an HTTP URL. */
const ODD_PORTS = new Set([1224, 1244, 1245, 3306, 5432, 6379, 27017, 4444, 1337]);

const remoteIpv4 = (value: string): boolean => {
  const parts = parseIpv4(value);
  return parts !== undefined && !isLocalIpv4(parts);
};

const portOf = (url: URL): number | undefined => (url.port ? Number(url.port) : undefined);

export const networkRawIp = defineRule({
  id: 'network-raw-ip',
  meta: {
    kind: 'threat',
    category: 'network',
    severity: 'high',
    confidence: 'medium',
    description: 'Code talks to a hard-coded public IP address instead of a host name',
    references: [
      'https://unit42.paloaltonetworks.com/two-campaigns-by-north-korea-bad-actors-target-job-hunters/',
      'https://attack.mitre.org/techniques/T1071/001/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const fact of factsOfKind(facts, 'url')) {
      let parsed: URL;
      try {
        parsed = new URL(fact.value);
      } catch {
        continue;
      }
      const host = parsed.hostname;
      if (!remoteIpv4(host)) continue;
      const port = portOf(parsed);
      report({
        message: `connects to a raw IP: ${host}${port ? `:${port}` : ''}${port && ODD_PORTS.has(port) ? ' (a database/C2 port used for HTTP)' : ''}`,
        at: fact.at,
      });
    }
    for (const fact of factsOfKind(facts, 'ip')) {
      if (!remoteIpv4(fact.value)) continue;
      // A bare address without a port is as often a version or an example as a server.
      const usedByCall = facts.code.some(
        (other) =>
          other.kind === 'call' &&
          (other.category === 'network' || other.category === 'dns') &&
          other.args.some((arg) => arg.includes(fact.value)),
      );
      if (fact.port === undefined && !usedByCall) continue;
      report({
        message: `connects to a raw IP: ${fact.value}${fact.port ? `:${fact.port}` : ''}`,
        at: fact.at,
        // Address-parsing tests list addresses; they do not connect to them.
        ...(isTestFile(fact.at.file) && !usedByCall ? { confidence: 'low' as const } : {}),
      });
    }
  },
});
