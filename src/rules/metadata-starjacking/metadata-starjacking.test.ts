import { describe, expect, it } from 'vitest';
import type { MetadataSignal } from '../../analysis/manifest/metadata-signals.js';
import { packageFacts } from '../rule-test-kit.js';
import { metadataStarjacking as rule } from './metadata-starjacking.js';

const borrowed: MetadataSignal = {
  kind: 'repository-of-popular-package',
  repository: 'https://github.com/expressjs/express',
  popular: 'express',
};

describe('metadata-starjacking', () => {
  it('reports a borrowed popular repository at medium', () => {
    expect(rule.run(packageFacts({ metadata: [borrowed] }))).toMatchObject([
      { severity: 'medium', confidence: 'medium' },
    ]);
  });

  it('is high when the name also imitates the same package', () => {
    const squat: MetadataSignal = {
      kind: 'typosquat',
      match: { name: 'expresss', target: 'express', kind: 'edit-distance', distance: 1, targetRank: 1 },
    };
    expect(rule.run(packageFacts({ metadata: [squat, borrowed] }))).toMatchObject([{ severity: 'high' }]);
  });

  it('is silent without the signal', () => {
    expect(rule.run(packageFacts({ metadata: [{ kind: 'missing-repository' }] }))).toEqual([]);
  });
});
