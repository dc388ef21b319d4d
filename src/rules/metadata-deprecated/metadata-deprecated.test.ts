import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { metadataDeprecated as rule } from './metadata-deprecated.js';

describe('metadata-deprecated', () => {
  it('reports the deprecation message, clipped', () => {
    const message = `use something else ${'x'.repeat(300)}`;
    const [finding] = rule.run(
      packageFacts({ metadata: [{ kind: 'deprecated', version: '2.0.0', message }] }),
    );
    expect(finding).toMatchObject({ kind: 'capability' });
    expect(finding?.message.length).toBeLessThan(200);
    expect(finding?.message).toContain('2.0.0 is deprecated: use something else');
  });

  it('is silent without the signal', () => {
    expect(rule.run(packageFacts({ metadata: [] }))).toEqual([]);
  });
});
