import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

/** Cloud SDKs and agents whose job is to read instance credentials (scopes and names are owned). */
const CLOUD_TOOL =
  /^(?:@(?:aws-sdk|smithy|aws-crypto|aws-cdk|aws-amplify|google-cloud|googleapis|azure|azure-rest|kubernetes|opentelemetry|pulumi|dfinity)\/|(?:aws-sdk|gcp-metadata|google-auth-library|googleapis|@kubernetes\/client-node)$)/;
/** Tests of URL parsers and SSRF filters quote metadata addresses; they are not run by importers. */
const TEST_FILE = /(?:^|\/)(?:test|tests|__tests__|spec)\/|\.(?:test|spec)\.[cm]?js$/;

type Kind = {
  name: string;
  shape: string;
  pattern?: RegExp;
  credential: boolean;
  /** Confidence of this kind alone in a file. */
  alone: 'medium' | 'low';
};

/**
 * What a finding reads. Instance role credentials are medium alone (only cloud SDKs fetch them);
 * the bare metadata address, and the token files and secret stores that their own clients
 * (Vault, Kubernetes, secret loaders) read for the user, are low alone.
 */
const KINDS: readonly Kind[] = [
  {
    name: 'instance role credentials',
    shape: 'cloud-metadata-endpoint',
    pattern:
      /security-credentials|identity\/oauth2\/token|service-accounts|\/latest\/api\/token|169\.254\.170\.2/i,
    credential: true,
    alone: 'medium',
  },
  { name: 'the cloud metadata service', shape: 'cloud-metadata-endpoint', credential: false, alone: 'low' },
  {
    name: 'the Kubernetes service-account token',
    shape: 'kubernetes-token-path',
    credential: true,
    alone: 'low',
  },
  { name: 'the Vault token', shape: 'vault-token-path', credential: true, alone: 'low' },
  { name: 'a cloud secret store', shape: 'secret-store-api', credential: true, alone: 'low' },
];

export const credentialsCloudMetadata = defineRule({
  id: 'credentials-cloud-metadata',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description:
      'Cloud instance metadata, Kubernetes service-account or Vault tokens, or secret stores read by a non-cloud package',
    references: [
      'https://attack.mitre.org/techniques/T1552/005/',
      'https://www.wiz.io/blog/shai-hulud-2-0-ongoing-supply-chain-attack',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    if (CLOUD_TOOL.test(facts.manifest.name)) return;
    for (const [file, fileFacts] of factsByFile(facts)) {
      if (TEST_FILE.test(file)) continue;
      const found = new Map<string, { at: Location; kind: Kind; detail: string }>();
      for (const fact of shapesNamed(
        fileFacts,
        'cloud-metadata-endpoint',
        'kubernetes-token-path',
        'vault-token-path',
        'secret-store-api',
      )) {
        const kind = KINDS.find((k) => k.shape === fact.shape && (!k.pattern || k.pattern.test(fact.detail)));
        if (kind && !found.has(kind.name)) found.set(kind.name, { at: fact.at, kind, detail: fact.detail });
      }
      const credentials = [...found.values()].filter(({ kind }) => kind.credential).length;
      for (const [name, { at, kind, detail }] of found) {
        report({
          message: `${file} reads ${name}: ${detail.slice(0, 80)}`,
          at,
          // Several credential stores in one file is a harvester sweeping whatever host it landed on.
          confidence: credentials > 1 ? 'high' : kind.alone,
        });
      }
    }
  },
});
