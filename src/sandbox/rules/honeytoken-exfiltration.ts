import { baseDomain } from '../report/honeytokens.js';
import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { viewOf } from './queries.js';

export const honeytokenExfiltration = defineSandboxRule({
  id: 'sandbox-honeytoken-exfiltration',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  description:
    'A planted secret (honeytoken) was seen leaving the sandbox in DNS, HTTP, TLS, TCP or UDP traffic',
  detect(input, found) {
    for (const egress of input.report.honeytokens.exfiltrated) {
      const encoding = egress.encoding === 'raw' ? '' : `, ${egress.encoding}-encoded`;
      // The sender, when one package process is tied to traffic to that destination in that run.
      const view = viewOf(input, egress.run);
      const to = egress.destination;
      const actor: Actor | undefined =
        egress.channel === 'dns'
          ? view?.dns.find((q) => q.actor && (q.resolver === to || baseDomain(q.name) === to))?.actor
          : view?.network.find(
              (a) => a.actor && (a.host === to || a.sni === to || a.http?.host === to || a.address === to),
            )?.actor;
      found({
        message: `honeytoken ${egress.token} was sent over ${egress.channel} to ${egress.destination}${encoding}`,
        evidence: [`token ${egress.token}`, `${egress.channel} → ${egress.destination}`, `run ${egress.run}`],
        ...(actor ? { actor } : {}),
      });
    }
  },
});
