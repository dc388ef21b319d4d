import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { credentialsCloudMetadata as rule } from './credentials-cloud-metadata.js';

const imds = shape('cloud-metadata-endpoint', 'http://169.254.169.254', at('index.js', 2));
const roleCreds = shape(
  'cloud-metadata-endpoint',
  '/latest/meta-data/iam/security-credentials/',
  at('index.js', 3),
);
const k8s = shape(
  'kubernetes-token-path',
  '/var/run/secrets/kubernetes.io/serviceaccount/token',
  at('index.js', 4),
);

describe('credentials-cloud-metadata', () => {
  it('grades: bare address, token files and secret stores low alone, instance credentials medium', () => {
    expect(rule.run(packageFacts({ code: [imds] })).map((f) => f.confidence)).toEqual(['low']);
    expect(rule.run(packageFacts({ code: [k8s] })).map((f) => f.confidence)).toEqual(['low']);
    const store = shape('secret-store-api', 'getSecretValue', at('index.js', 5));
    expect(rule.run(packageFacts({ code: [store] })).map((f) => f.confidence)).toEqual(['low']);
    expect(rule.run(packageFacts({ code: [roleCreds] })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('is high confidence when one file reaches for several credential kinds', () => {
    const findings = rule.run(packageFacts({ code: [imds, roleCreds, k8s] }));
    expect(findings.map((f) => [f.message.split(':')[0], f.confidence])).toEqual([
      ['index.js reads the cloud metadata service', 'high'],
      ['index.js reads instance role credentials', 'high'],
      ['index.js reads the Kubernetes service-account token', 'high'],
    ]);
  });

  it.each(['@aws-sdk/credential-provider-imds', 'gcp-metadata', '@smithy/core'])(
    'skips the cloud SDK %s',
    (name) => {
      expect(rule.run(packageFacts({ manifest: { name }, code: [roleCreds, k8s] }))).toEqual([]);
    },
  );

  it('skips test files', () => {
    const inTest = shape('cloud-metadata-endpoint', '/latest/meta-data/', at('test/ssrf.test.js', 1));
    expect(rule.run(packageFacts({ code: [inTest] }))).toEqual([]);
  });
});
