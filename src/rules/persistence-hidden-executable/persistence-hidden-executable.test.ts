import { describe, expect, it } from 'vitest';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { persistenceHiddenExecutable as rule } from './persistence-hidden-executable.js';

const copy = (target: string) =>
  call('fs.copyFileSync', 'filesystem-write', at('a.js', 3), ['*/README.md', target]);
const chmod = (target: string, mode = '493') =>
  call('fs.chmodSync', 'filesystem-write', at('a.js', 4), [target, mode]);

describe('persistence-hidden-executable', () => {
  it.each(['~/.local/bin/xsession.auth', '~/.local/share/x/y', '/tmp/.x', '/dev/shm/k'])(
    'reports %s copied there and made executable',
    (target) => {
      const findings = rule.run(packageFacts({ code: [copy(target), chmod(target)] }));
      expect(findings.map((f) => [f.severity, f.confidence, f.source?.line, f.line])).toEqual([
        ['high', 'medium', 3, 4],
      ]);
    },
  );

  it('reads chmod commands; a chmod of an unknown path is low, of another known path nothing', () => {
    const run = call('child_process.execSync', 'process', at('a.js', 5), ['chmod +x /tmp/.x']);
    expect(rule.run(packageFacts({ code: [copy('/tmp/.x'), run] })).map((f) => f.confidence)).toEqual([
      'medium',
    ]);
    expect(rule.run(packageFacts({ code: [copy('/tmp/.x'), chmod('')] })).map((f) => f.confidence)).toEqual([
      'low',
    ]);
    expect(rule.run(packageFacts({ code: [copy('/tmp/.x'), chmod('*/bin/cli.js')] }))).toEqual([]);
    expect(
      rule.run(packageFacts({ code: [copy('/tmp/a/.x'), chmod('*/a/.x')] })).map((f) => f.confidence),
    ).toEqual(['medium']);
  });

  it.each([
    ['no chmod', [copy('/tmp/.x')]],
    ['a read-only mode', [copy('/tmp/.x'), chmod('/tmp/.x', '420')]],
    ['an ordinary place', [copy('*/dist/tool'), chmod('*/dist/tool')]],
    ['a cache under home', [copy('~/.cache/tool/bin'), chmod('~/.cache/tool/bin')]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
