import { isMetadataAddress } from './cloud-metadata.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { destination, isPublicAddress, who } from './queries.js';

export const literalIp = defineSandboxRule({
  id: 'sandbox-literal-ip',
  kind: 'threat',
  severity: 'medium',
  confidence: 'high',
  description: 'A package process connected to a literal public IP address, without a DNS lookup',
  detect({ report }, found) {
    for (const attempt of report.network) {
      const address = attempt.address;
      if (
        !attempt.literalIp ||
        address === undefined ||
        !isPublicAddress(address) ||
        isMetadataAddress(address)
      )
        continue;
      // DNS to a literal resolver is the hard-coded-resolver rule's.
      if (attempt.port === 53) continue;
      found({
        message: `${who(attempt.actor)} connected to the literal address ${address}${attempt.port !== undefined ? ` port ${attempt.port}` : ''}`,
        evidence: [destination(attempt), `${attempt.bytesSent} bytes sent`],
        ...(attempt.actor ? { actor: attempt.actor } : {}),
      });
    }
  },
});
