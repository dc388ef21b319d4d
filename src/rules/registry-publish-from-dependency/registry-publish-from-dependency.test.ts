import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { registryPublishFromDependency as rule } from './registry-publish-from-dependency.js';

const exec = (command: string, line = 5) =>
  call('child_process.execSync', 'process', at('worm.js', line), [command]);
const tokenRead: CodeFact = { kind: 'env-read', key: 'NPM_TOKEN', at: at('worm.js', 1) };

describe('registry-publish-from-dependency', () => {
  it('reports the Shai-Hulud pattern at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          tokenRead,
          exec('npm whoami', 2),
          exec('npm version patch', 4),
          exec('npm publish --access public'),
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: 'high', severity: 'critical', line: 5 });
    expect(findings[0]?.message).toContain('(with npm token, whoami, version bump)');
  });

  it('reports a bare publish at medium confidence', () => {
    expect(rule.run(packageFacts({ code: [exec('pnpm publish')] })).map((f) => f.confidence)).toEqual([
      'medium',
    ]);
  });

  it('reports a publish command string in a file that spawns processes', () => {
    const code = [
      str('npm publish', at('worm.js', 1)),
      call('child_process.spawn', 'process', at('worm.js', 9)),
    ];
    expect(rule.run(packageFacts({ code }))).toHaveLength(1);
  });

  it('is silent for a help text mentioning npm publish in a file that runs nothing', () => {
    expect(rule.run(packageFacts({ code: [str('Next: run npm publish', at('cli.js', 1))] }))).toEqual([]);
  });

  it('is silent for other npm commands', () => {
    expect(
      rule.run(packageFacts({ code: [exec('npm pack --dry-run'), exec('npm view fixture version')] })),
    ).toEqual([]);
  });

  it('exempts release tools', () => {
    expect(
      rule.run(packageFacts({ manifest: { name: 'semantic-release' }, code: [exec('npm publish')] })),
    ).toEqual([]);
  });
});
