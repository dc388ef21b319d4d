import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { installScriptPresent } from './install-script-present.js';

describe('install-script-present', () => {
  it('reports each install hook', () => {
    const findings = installScriptPresent.run(
      packageFacts({
        manifest: { installScripts: { preinstall: 'node setup.js', postinstall: 'node x.js' } },
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'install hook "preinstall" runs: node setup.js',
      'install hook "postinstall" runs: node x.js',
    ]);
    expect(findings[0]).toMatchObject({
      rule: 'install-script-present',
      kind: 'capability',
      file: 'package.json',
    });
  });

  it('reports binding.gyp, which runs node-gyp without any script', () => {
    const findings = installScriptPresent.run(
      packageFacts({ manifest: { bindingGyp: { commands: ['echo hi'] } } }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('1 command expansion');
  });

  it('is silent for a package with only build and test scripts', () => {
    expect(installScriptPresent.run(packageFacts())).toEqual([]);
  });
});
