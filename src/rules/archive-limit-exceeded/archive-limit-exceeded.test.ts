import { describe, expect, it } from 'vitest';
import { analyzeTarball } from '../../analysis/analyze.js';
import { makeTgz } from '../../tarball/testdata/make-tarball.js';
import { packageFacts } from '../rule-test-kit.js';
import { archiveLimitExceeded as rule } from './archive-limit-exceeded.js';

describe('archive-limit-exceeded', () => {
  it('reports a compression bomb the real reader stopped at, graded high', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: '{"name":"fixture-bomb","version":"1.0.0"}' },
      { name: 'package/zeros.txt', content: new Uint8Array(8 * 1024 * 1024) },
    ]);
    const analysis = await analyzeTarball(tgz, 'bomb.tgz');
    expect(analysis.complete).toBe(false);
    const findings = analysis.findings.filter((f) => f.rule === rule.id);
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
    expect(findings[0]?.message).toMatch(/^archive not read whole: /);
  });

  it('grades size, entry-count and time limits low', () => {
    const findings = rule.run({
      ...packageFacts(),
      archive: [{ kind: 'limit', limit: 'entries', message: 'more than 20000 entries' }],
    });
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['medium', 'low']]);
  });

  it('is silent on a package read whole', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: '{"name":"fixture-small","version":"1.0.0"}' },
    ]);
    const analysis = await analyzeTarball(tgz, 'small.tgz');
    expect(analysis.findings.filter((f) => f.rule === rule.id)).toEqual([]);
  });
});
