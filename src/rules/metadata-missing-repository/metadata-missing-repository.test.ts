import { describe, expect, it } from 'vitest';
import { metadataSignals } from '../../analysis/manifest/metadata-signals.js';
import { packageFacts } from '../rule-test-kit.js';
import { metadataMissingRepository as rule } from './metadata-missing-repository.js';

const run = (tarballManifest: Record<string, unknown>) =>
  rule.run(
    packageFacts({
      metadata: metadataSignals({
        packument: {},
        version: '1.0.0',
        tarballManifest: { name: 'p', ...tarballManifest },
      }),
    }),
  );

describe('metadata-missing-repository', () => {
  it('reports a package without a repository as a capability', () => {
    expect(run({})).toMatchObject([{ kind: 'capability' }]);
  });

  it.each(['github:owner/p', 'https://github.com/owner/p.git'])(
    'is silent for repository %s',
    (repository) => {
      expect(run({ repository })).toEqual([]);
      expect(run({ repository: { type: 'git', url: repository } })).toEqual([]);
    },
  );

  it('is silent when no metadata was computed (loose file)', () => {
    expect(rule.run(packageFacts())).toEqual([]);
  });
});
