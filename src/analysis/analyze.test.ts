import { describe, expect, it } from 'vitest';
import { analyzeFiles } from './analyze.js';

const filesOf = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]));

const tarball = filesOf({
  'package.json': JSON.stringify({
    name: 'confused-fixture',
    version: '1.0.0',
    repository: 'github:owner/confused-fixture',
    scripts: { preinstall: 'node setup.js' },
  }),
  'setup.js': "console.log('FIXTURE');\n",
});
const packument = {
  name: 'confused-fixture',
  'dist-tags': { latest: '1.0.0' },
  versions: {
    '1.0.0': { name: 'confused-fixture', version: '1.0.0', repository: 'github:owner/confused-fixture' },
  },
};

describe('analyzeFiles with a registry document', () => {
  it('feeds the packument to the metadata rules: an install hook hidden from the registry is decisive', () => {
    const assessment = analyzeFiles(tarball, {}, { packument });
    expect(assessment.findings.map((f) => f.rule)).toContain('metadata-manifest-confusion');
    expect(assessment.verdict).toBe('malicious');
  });

  it('without it, sees only the install hook (a capability)', () => {
    const assessment = analyzeFiles(tarball);
    expect(assessment.findings.map((f) => f.rule)).not.toContain('metadata-manifest-confusion');
    expect(assessment.verdict).toBe('clean');
  });
});
