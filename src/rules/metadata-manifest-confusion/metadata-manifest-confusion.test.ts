import { describe, expect, it } from 'vitest';
import type { ManifestMismatch } from '../../analysis/manifest/metadata-signals.js';
import { packageFacts } from '../rule-test-kit.js';
import { metadataManifestConfusion as rule } from './metadata-manifest-confusion.js';

const run = (...mismatches: ManifestMismatch[]) =>
  rule.run(packageFacts({ metadata: [{ kind: 'manifest-confusion', mismatches }] }));

describe('metadata-manifest-confusion', () => {
  it('is decisive for an install hook that only the tarball has', () => {
    const [finding] = run({ field: 'scripts', key: 'preinstall', registry: undefined, tarball: 'node x.js' });
    expect(finding).toMatchObject({ severity: 'high', confidence: 'high' });
    expect(finding?.message).toContain('scripts.preinstall');
  });

  it.each([
    [{ field: 'scripts', key: 'install', registry: 'node a.js', tarball: 'node b.js' }, 'high', 'medium'],
    [{ field: 'dependencies', key: 'sleepover', registry: undefined, tarball: '1.0.0' }, 'high', 'medium'],
    [{ field: 'dependencies', key: 'dep', registry: '1.0.0', tarball: '2.0.0' }, 'medium', 'low'],
    [{ field: 'bin', key: 'tool', registry: undefined, tarball: 'x.js' }, 'medium', 'medium'],
    [{ field: 'version', registry: '1.0.0', tarball: '1.0.1' }, 'medium', 'medium'],
    [{ field: 'scripts', key: 'postinstall', registry: 'node a.js', tarball: undefined }, 'low', 'low'],
  ] as const)('grades %j as %s/%s', (mismatch, severity, confidence) => {
    expect(run(mismatch)).toMatchObject([{ severity, confidence }]);
  });

  it('is silent without the signal (no packument, or the manifests agree)', () => {
    expect(rule.run(packageFacts())).toEqual([]);
    expect(rule.run(packageFacts({ metadata: [{ kind: 'missing-repository' }] }))).toEqual([]);
  });
});
