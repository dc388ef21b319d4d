import { describe, expect, it } from 'vitest';
import type { MetadataSignal } from '../../analysis/manifest/metadata-signals.js';
import { packageFacts } from '../rule-test-kit.js';
import { metadataVersionJump as rule } from './metadata-version-jump.js';

const run = (signal: MetadataSignal, installScripts: Record<string, string> = {}) =>
  rule.run(packageFacts({ manifest: { installScripts }, metadata: [signal] }));

describe('metadata-version-jump', () => {
  it('is high/medium for a first version 99.0.0, high/high with an install hook', () => {
    const first = { kind: 'version-jump', version: '99.0.0', majors: 99 } as const;
    expect(run(first)).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
    expect(run(first, { preinstall: 'node probe.js' })).toMatchObject([
      { severity: 'high', confidence: 'high' },
    ]);
  });

  it('treats a jump into 99.x like a first 99.x', () => {
    const jump = { kind: 'version-jump', version: '99.1.0', previous: '1.2.0', majors: 98 } as const;
    expect(run(jump)).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
  });

  it('is weak (medium/low) for an ordinary multi-major jump', () => {
    const jump = { kind: 'version-jump', version: '5.0.0', previous: '1.4.0', majors: 4 } as const;
    expect(run(jump, { postinstall: 'node x.js' })).toMatchObject([
      { severity: 'medium', confidence: 'low' },
    ]);
  });

  it('is silent without the signal', () => {
    expect(
      rule.run(packageFacts({ metadata: [{ kind: 'deprecated', version: '1.0.0', message: 'old' }] })),
    ).toEqual([]);
  });
});
