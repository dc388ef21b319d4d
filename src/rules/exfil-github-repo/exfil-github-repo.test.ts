import { describe, expect, it } from 'vitest';
import { at, call, packageFacts, str, url } from '../rule-test-kit.js';
import { exfilGithubRepo as rule } from './exfil-github-repo.js';

const exec = (command: string, line: number) =>
  call('child_process.execSync', 'process', at('a.js', line), [command]);

describe('exfil-github-repo', () => {
  it('reports token theft plus a public repo dump at high confidence', () => {
    const findings = rule.run(
      packageFacts({ code: [exec('gh auth token', 1), exec('gh repo create dump-1 --public', 4)] }),
    );
    expect(findings.map((f) => [f.line, f.confidence])).toEqual([
      [1, 'high'],
      [4, 'high'],
    ]);
  });

  it('reports a campaign name on its own at high confidence', () => {
    const findings = rule.run(packageFacts({ code: [str('s1ngularity-repository-0', at('a.js', 2))] }));
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
  });

  it('reports one repo creation through the REST API at medium confidence', () => {
    const findings = rule.run(
      packageFacts({ code: [url('https://api.github.com/user/repos', at('a.js', 3))] }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it.each([
    ['a help text naming gh commands', [str('Tip: gh repo create, then gh auth token', at('a.js', 1))]],
    ['an API route template (octokit)', [str('POST /user/repos', at('a.js', 1))]],
    ['other gh commands', [exec('gh pr list', 1), exec('gh auth status', 2)]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
