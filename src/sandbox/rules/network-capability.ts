import { defineSandboxRule } from './define-sandbox-rule.js';
import { destination, isOutbound } from './queries.js';

export const networkCapability = defineSandboxRule({
  id: 'sandbox-network-capability',
  kind: 'capability',
  severity: 'low',
  confidence: 'high',
  description: 'The package made outbound network attempts (DNS or connections)',
  detect({ report }, found) {
    const attempts = report.network.filter(isOutbound).map(destination);
    const queries = report.dns.map((query) => `dns ${query.type} ${query.name}`);
    const all = [...new Set([...attempts, ...queries])];
    if (all.length === 0) return;
    found({ message: `the package made ${all.length} distinct network attempt(s)`, evidence: all });
  },
});
