import { defineSandboxRule } from './define-sandbox-rule.js';
import { destination, who } from './queries.js';

/** AWS/GCP/Azure/OpenStack IMDS, AWS ECS task credentials, Alibaba, AWS IMDS over IPv6. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);
const METADATA_HOSTS =
  /^(?:metadata\.google\.internal|metadata|instance-data(?:\.ec2\.internal)?)\.?(?:\.invalid)?$/i;

export const isMetadataAddress = (address: string): boolean => METADATA_ADDRESSES.has(address.toLowerCase());

export const cloudMetadata = defineSandboxRule({
  id: 'sandbox-cloud-metadata',
  kind: 'threat',
  severity: 'high',
  confidence: 'medium',
  description:
    "A package process tried to reach a cloud instance-metadata service (the machine's cloud credentials)",
  detect({ report }, found) {
    for (const attempt of report.network) {
      const hit =
        (attempt.address !== undefined && isMetadataAddress(attempt.address)) ||
        (attempt.host !== undefined && METADATA_HOSTS.test(attempt.host));
      if (!hit) continue;
      found({
        message: `${who(attempt.actor)} contacted the cloud metadata service: ${destination(attempt)}`,
        evidence: [destination(attempt)],
        ...(attempt.actor ? { actor: attempt.actor } : {}),
      });
    }
    for (const query of report.dns) {
      if (!METADATA_HOSTS.test(query.name)) continue;
      found({
        message: `${who(query.actor)} looked up the cloud metadata host ${query.name}`,
        evidence: [`query ${query.name}`],
        ...(query.actor ? { actor: query.actor } : {}),
      });
    }
  },
});
