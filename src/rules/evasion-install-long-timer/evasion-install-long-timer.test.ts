import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, fileStats, packageFacts } from '../rule-test-kit.js';
import { evasionInstallLongTimer as rule } from './evasion-install-long-timer.js';

const timer = (file: string): CodeFact => ({
  kind: 'shape',
  shape: 'long-timer',
  detail: 'setInterval every 12 h',
  at: at(file, 2),
});

describe('evasion-install-long-timer', () => {
  it('reports a long timer in the file the install hook runs', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { postinstall: 'node ./setup.js' } },
        files: [fileStats('setup.js'), fileStats('index.js')],
        code: [timer('setup.js'), timer('index.js')],
      }),
    );
    expect(findings.map((f) => [f.file, f.severity, f.confidence])).toEqual([['setup.js', 'high', 'medium']]);
  });

  it('is silent for long timers in a package without install hooks', () => {
    expect(rule.run(packageFacts({ code: [timer('index.js')] }))).toEqual([]);
  });

  it('is silent for other shapes in install files', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { install: 'node setup.js' } },
        code: [{ kind: 'shape', shape: 'unbounded-loop', detail: 'x', at: at('setup.js') }],
      }),
    );
    expect(findings).toEqual([]);
  });
});
