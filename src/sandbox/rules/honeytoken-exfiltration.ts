import { defineSandboxRule } from './define-sandbox-rule.js';

export const honeytokenExfiltration = defineSandboxRule({
  id: 'sandbox-honeytoken-exfiltration',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  description:
    'A planted secret (honeytoken) was seen leaving the sandbox in DNS, HTTP, TLS, TCP or UDP traffic',
  detect({ report }, found) {
    for (const egress of report.honeytokens.exfiltrated) {
      const encoding = egress.encoding === 'raw' ? '' : `, ${egress.encoding}-encoded`;
      found({
        message: `honeytoken ${egress.token} was sent over ${egress.channel} to ${egress.destination}${encoding}`,
        evidence: [`token ${egress.token}`, `${egress.channel} → ${egress.destination}`, `run ${egress.run}`],
      });
    }
  },
});
