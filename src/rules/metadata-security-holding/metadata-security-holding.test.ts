import { describe, expect, it } from 'vitest';
import { metadataSignals } from '../../analysis/manifest/metadata-signals.js';
import { packageFacts, packument } from '../rule-test-kit.js';
import { metadataSecurityHolding as rule } from './metadata-security-holding.js';

const signalsFor = (versions: string[], version: string) =>
  metadataSignals({
    packument: packument('held', Object.fromEntries(versions.map((v) => [v, {}]))),
    version,
  });

describe('metadata-security-holding', () => {
  it('reports the placeholder version as a capability', () => {
    const findings = rule.run(packageFacts({ metadata: signalsFor(['0.0.1-security'], '0.0.1-security') }));
    expect(findings).toMatchObject([{ kind: 'capability', rule: 'metadata-security-holding' }]);
  });

  it('reports an older version whose name is now held (latest is the placeholder)', () => {
    const findings = rule.run(packageFacts({ metadata: signalsFor(['1.0.0', '0.0.1-security'], '1.0.0') }));
    expect(findings).toHaveLength(1);
  });

  it('reads the placeholder from the tarball version too (crossenv is 0.0.2-security)', () => {
    const findings = rule.run(packageFacts({ manifest: { version: '0.0.2-security' } }));
    expect(findings.map((f) => f.message)).toEqual([
      "0.0.2-security is npm's security placeholder: an earlier publish of this name was removed as malware",
    ]);
    const both = rule.run(
      packageFacts({
        manifest: { version: '0.0.1-security' },
        metadata: signalsFor(['0.0.1-security'], '0.0.1-security'),
      }),
    );
    expect(both).toHaveLength(1);
  });

  it('reports a 0.0.N-security placeholder that is the latest version (registry side)', () => {
    const findings = rule.run(packageFacts({ metadata: signalsFor(['1.0.0', '0.0.2-security'], '1.0.0') }));
    expect(findings.map((f) => f.message)).toEqual([
      "0.0.2-security is npm's security placeholder: an earlier publish of this name was removed as malware",
    ]);
  });

  it('is silent for ordinary 0.0.1 pre-releases', () => {
    expect(rule.run(packageFacts({ metadata: signalsFor(['0.0.1-beta.1'], '0.0.1-beta.1') }))).toEqual([]);
  });
});
