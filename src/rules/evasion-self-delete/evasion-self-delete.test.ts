import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, fileStats, packageFacts } from '../rule-test-kit.js';
import { evasionSelfDelete as rule } from './evasion-self-delete.js';

const shape = (name: string, file: string, detail = 'x'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, 4),
});
const install = { installScripts: { postinstall: 'node setup.js' } };

describe('evasion-self-delete', () => {
  it('reports self-deletion and a manifest swap at install together at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        manifest: install,
        files: [fileStats('setup.js')],
        code: [
          shape('self-delete', 'setup.js', 'unlinkSync(__filename)'),
          shape('own-manifest-write', 'setup.js'),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['high', 'high']);
  });

  it('reports self-deletion alone at medium confidence', () => {
    const findings = rule.run(packageFacts({ code: [shape('self-delete', 'index.js')] }));
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
  });

  it('ignores manifest writes outside install hooks (release tools)', () => {
    const findings = rule.run(
      packageFacts({
        manifest: install,
        files: [fileStats('setup.js'), fileStats('release.js')],
        code: [shape('own-manifest-write', 'release.js')],
      }),
    );
    expect(findings).toEqual([]);
  });
});
