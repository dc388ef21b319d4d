import { describe, expect, it } from 'vitest';
import { at, call, packageFacts, str, url } from '../rule-test-kit.js';
import { registryTokenProbe as rule } from './registry-token-probe.js';

const exec = (command: string, line: number) =>
  call('child_process.execSync', 'process', at('worm.js', line), [command]);

describe('registry-token-probe', () => {
  it('reports whoami, maintainer search and version bump at high confidence', () => {
    const code = [
      exec('npm whoami', 2),
      url('https://registry.npmjs.org/-/v1/search?text=maintainer:victim&size=250', at('worm.js', 5)),
      exec('npm version patch --no-git-tag-version', 9),
    ];
    const findings = rule.run(packageFacts({ code }));
    expect(findings.map((f) => [f.message, f.confidence, f.line])).toEqual([
      ['worm.js probes the registry as the user: whoami, maintainer search, version bump', 'high', 2],
    ]);
  });

  it('grades two signals medium and one low', () => {
    const two = [url('https://registry.npmjs.org/-/whoami', at('worm.js', 1)), exec('npm pack', 4)];
    expect(rule.run(packageFacts({ code: two })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [exec('npm whoami', 1)] })).map((f) => f.confidence)).toEqual([
      'low',
    ]);
  });

  it('counts a command string in a file that runs commands', () => {
    const code = [str('npm whoami', at('worm.js', 1)), exec('ls', 3), exec('npm pack', 4)];
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it.each([
    ['a version bump without any probe', [exec('npm version patch', 1), exec('npm pack', 2)]],
    ['a command string in a file that runs nothing (docs)', [str('npm whoami', at('worm.js', 1))]],
    ['a bump written as a string in a file that runs nothing', [str('npm version patch', at('worm.js', 1))]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });

  it('reads registry paths and commands kept as template text (registry-probe-text shapes)', () => {
    const text = (detail: string, line: number) => ({
      kind: 'shape' as const,
      shape: 'registry-probe-text',
      detail,
      at: at('worm.js', line),
    });
    const code = [
      text('/-/whoami', 1),
      text('/-/v1/search?text=maintainer:', 2),
      text('npm version patch', 3),
    ];
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [...code, exec('ls', 4)] })).map((f) => f.confidence)).toEqual([
      'high',
    ]);
  });

  it('reports an install hook written into a manifest that is then repacked', () => {
    const hook = {
      kind: 'shape' as const,
      shape: 'install-hook-injection',
      detail: 'scripts.postinstall = node bundle.js',
      at: at('worm.js', 3),
    };
    expect(
      rule.run(packageFacts({ code: [hook, exec('npm pack', 5)] })).map((f) => [f.message, f.confidence]),
    ).toEqual([
      ['worm.js probes the registry as the user: install hook injection, tarball repack', 'medium'],
    ]);
    expect(rule.run(packageFacts({ code: [hook] }))).toEqual([]);
  });

  it('is silent for registry clients', () => {
    const code = [exec('npm whoami', 2), exec('npm version patch', 3)];
    expect(rule.run(packageFacts({ manifest: { name: '@npmcli/arborist' }, code }))).toEqual([]);
  });
});
