import { describe, expect, it } from 'vitest';
import { NPMRC_FILE, npmrcFacts } from './npmrc-facts.js';

describe('npmrcFacts', () => {
  it('turns registry values and nerf-darted keys into URL facts, without copying tokens', () => {
    const text = [
      '# fixture',
      'registry=https://registry.npmjs.help.invalid/',
      '@corp:registry = https://npm.corp.invalid/',
      '//registry.npmjs.help.invalid/:_authToken=npm_FIXTURE_NOT_A_TOKEN',
      'strict-ssl=false',
    ].join('\n');
    const facts = npmrcFacts('.npmrc', text);
    expect(facts.map((f) => (f.kind === 'url' ? [f.host, f.at.line] : []))).toEqual([
      ['registry.npmjs.help.invalid', 2],
      ['npm.corp.invalid', 3],
      ['registry.npmjs.help.invalid', 4],
    ]);
    expect(JSON.stringify(facts)).not.toContain('FIXTURE_NOT_A_TOKEN');
  });

  it('ignores comments, blank and malformed lines', () => {
    expect(npmrcFacts('.npmrc', '; registry=https://x.invalid/\n\nnot a setting\n')).toEqual([]);
  });

  it.each([
    ['.npmrc', true],
    ['config/.npmrc', true],
    ['npmrc', true],
    ['src/npmrc.js', false],
    ['.npmrc.bak', false],
  ])('recognises %s: %s', (path, expected) => {
    expect(NPMRC_FILE.test(path)).toBe(expected);
  });
});
