import { describe, expect, it } from 'vitest';
import { analyzeTarball } from '../../analysis/analyze.js';
import { makeTgz } from '../../tarball/testdata/make-tarball.js';
import { packageFacts } from '../rule-test-kit.js';
import { archiveUnsafeEntry as rule } from './archive-unsafe-entry.js';

const manifest = { name: 'package/package.json', content: '{"name":"fixture-archive","version":"1.0.0"}' };

describe('archive-unsafe-entry', () => {
  it('reports what the real tarball reader refused: traversal, absolute path, symlink', async () => {
    const tgz = await makeTgz([
      manifest,
      { name: 'package/index.js', content: 'module.exports = 1;\n' },
      { name: 'package/../../.bashrc', content: '# fixture\n' },
      { name: '/tmp/fixture-absolute', content: 'x' },
      { name: 'package/link', type: 'symlink', linkname: '/home/user/.ssh/id_rsa' },
    ]);
    const analysis = await analyzeTarball(tgz, 'fixture.tgz');
    const findings = analysis.findings.filter((f) => f.rule === rule.id);
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([
      ['high', 'medium'],
      ['high', 'medium'],
      ['medium', 'medium'],
    ]);
    expect(findings[0]?.message).toMatch(/escapes the package/);
    expect(analysis.verdict).not.toBe('clean');
  });

  it('is silent on an ordinary npm tarball', async () => {
    const tgz = await makeTgz([manifest, { name: 'package/index.js', content: 'module.exports = 1;\n' }]);
    const analysis = await analyzeTarball(tgz, 'fixture.tgz');
    expect(analysis.findings.filter((f) => f.rule === rule.id)).toEqual([]);
    expect(analysis.verdict).toBe('clean');
  });

  it('leaves limits to archive-limit-exceeded and is silent without archive facts', () => {
    const limit = { kind: 'limit' as const, limit: 'ratio' as const, message: 'ratio above 200' };
    expect(rule.run({ ...packageFacts(), archive: [limit] })).toEqual([]);
    expect(rule.run(packageFacts())).toEqual([]);
  });
});
