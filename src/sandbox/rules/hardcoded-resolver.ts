import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { who } from './queries.js';

export const hardcodedResolver = defineSandboxRule({
  id: 'sandbox-hardcoded-resolver',
  kind: 'threat',
  severity: 'high',
  confidence: 'medium',
  description:
    "DNS queries sent to a resolver other than the system's (a hard-coded server, as DNS exfiltration tools do)",
  detect({ report }, found) {
    const byResolver = new Map<string, { names: string[]; actor?: Actor }>();
    for (const query of report.dns) {
      if (!query.hardCodedResolver || query.resolver === undefined) continue;
      const entry = byResolver.get(query.resolver) ?? { names: [] };
      if (!entry.names.includes(query.name)) entry.names.push(query.name);
      entry.actor ??= query.actor;
      byResolver.set(query.resolver, entry);
    }
    for (const [resolver, { names, actor }] of byResolver) {
      found({
        message: `${who(actor)} sent ${names.length} DNS quer${names.length === 1 ? 'y' : 'ies'} straight to ${resolver} instead of the system resolver`,
        evidence: [`resolver ${resolver}`, ...names.map((name) => `query ${name}`)],
        ...(actor ? { actor } : {}),
      });
    }
  },
});
