import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { packageFactsFromSample } from '../sample-facts.js';
import { exfilSdkSecret as rule } from './exfil-sdk-secret.js';

describe('exfil-sdk-secret', () => {
  it('reports a private key sent by fetch at critical, high', () => {
    const findings = rule.run(
      packageFacts({ code: [shape('secret-to-network', 'secretKey sent by fetch', at('k.js', 4))] }),
    );
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'critical', confidence: 'high', line: 4 }),
    ]);
  });

  it('grades a variable named only `seed` lower', () => {
    const findings = rule.run(
      packageFacts({ code: [shape('secret-to-network', 'seed sent by axios.post', at('k.js', 2))] }),
    );
    expect(findings).toEqual([expect.objectContaining({ severity: 'high', confidence: 'medium' })]);
  });

  it('is silent without the shape (a secret signed locally)', () => {
    expect(
      rule.run(packageFacts({ code: [shape('covert-header', 'CF-Ray header set', at('k.js', 1))] })),
    ).toEqual([]);
  });
});

describe('exfil-sdk-secret on client instances', () => {
  it('grades a post on an unresolved client instance medium', () => {
    const findings = rule.run(
      packageFacts({ code: [shape('secret-to-network', 'privateKey sent by <client>.post', at('k.js', 2))] }),
    );
    expect(findings).toEqual([expect.objectContaining({ severity: 'high', confidence: 'medium' })]);
  });
});

describe('exfil-sdk-secret on samples', () => {
  const sample = (path: string) =>
    rule.run(packageFactsFromSample(join(import.meta.dirname, 'testdata', path)));

  it("follows request options held in a local const and names the caller's private key (xrpl 4.2.1)", () => {
    expect(sample('malicious/seed-config-object.js')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'critical',
          confidence: 'high',
          message: 'wallet secret leaves in a request: privateKey sent by fetch in checkValidityOfSeed()',
        }),
      ]),
    );
  });

  it('is silent when local options carry only a signature made with the key', () => {
    expect(sample('benign/config-object-signed.js')).toEqual([]);
  });
});
