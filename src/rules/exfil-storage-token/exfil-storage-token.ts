import { defineRule } from '../define-rule.js';
import { shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

/** Cloud-storage and file-transfer SDKs a payload can upload into with an embedded account. */
export const STORAGE_SDKS =
  /^(?:dropbox|megajs|mega|mega-nz|box-node-sdk|pcloud-sdk-js|googleapis|@googleapis\/drive|@aws-sdk\/client-s3|aws-sdk|@azure\/storage-blob|@microsoft\/microsoft-graph-client|onedrive-api|basic-ftp|ftp|ssh2-sftp-client|@supabase\/supabase-js|firebase-admin)$/;

/** An account credential the package carries: whoever holds it can write to that account. */
const ACCOUNT_SECRET = /^(?:refresh token|secret access key)/;

export const exfilStorageToken = defineRule({
  id: 'exfil-storage-token',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'medium',
    description: 'A hard-coded OAuth refresh token or storage secret key, with a cloud-storage SDK',
    references: [
      'https://checkmarx.com/blog/dozens-of-machines-infected-year-long-npm-supply-chain-attack-combines-crypto-mining-and-data-theft/',
      'https://attack.mitre.org/techniques/T1567/002/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const secrets = shapesNamed(fileFacts, 'hardcoded-oauth-secret').filter((fact) =>
        ACCOUNT_SECRET.test(fact.detail),
      );
      if (secrets.length === 0) continue;
      const sdk = fileFacts.find((fact) => fact.kind === 'import' && STORAGE_SDKS.test(fact.module));
      const reads = fileFacts.some((fact) => fact.kind === 'call' && fact.category === 'filesystem-read');
      for (const secret of secrets) {
        const name = secret.detail.replace(/ literal.*$/, '');
        report({
          message:
            sdk?.kind === 'import'
              ? `${file} embeds a ${name} for ${sdk.module}${reads ? ' and reads local files' : ''}`
              : `${file} embeds a ${name}`,
          at: secret.at,
          // An account token with the storage SDK and local reads is the upload-to-my-Dropbox shape.
          confidence: sdk && reads ? 'high' : sdk ? 'medium' : 'low',
        });
      }
    }
  },
});
