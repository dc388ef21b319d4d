import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str, url } from '../rule-test-kit.js';
import { impersonation, networkRegistryLookalike as rule } from './network-registry-lookalike.js';

describe('impersonation', () => {
  it.each([
    'npmjs.help',
    'support.npmjs.help.invalid',
    'npnjs.com',
    'npmjss.com',
    'nprnjs.com',
    'npmjs-registry.org',
    'registry-npmjs.com',
    'npmjsregistry.com',
    'registry.npmjs.org.mirror-cdn.net',
    'github.help',
    'githuh.com',
    'github-login.com',
    'npm-support.com',
    'yarnpkg.org',
    'registry.npmjs.co.uk',
  ])('flags %s', (host) => {
    expect(impersonation(host)).toBeDefined();
  });

  it.each([
    'registry.npmjs.org',
    'www.npmjs.com',
    'npm.pkg.github.com',
    'raw.githubusercontent.com',
    'user.github.io',
    'registry.yarnpkg.com',
    'registry.npmmirror.com',
    'registry.cnpmjs.org',
    'npm-stat.com',
    'github-readme-stats.vercel.app',
    'github.mycompany.com',
    'gitlab.com',
    'api.github.com',
    'unpkg.com',
    'github-markdown-css.example.com',
  ])('leaves %s alone', (host) => {
    expect(impersonation(host)).toBeUndefined();
  });
});

describe('network-registry-lookalike', () => {
  it('is high/high in a shipped .npmrc and in a registry setting, high/medium elsewhere', () => {
    const npmrc: CodeFact = {
      kind: 'url',
      value: 'https://registry.npmjs.help.invalid/',
      host: 'registry.npmjs.help.invalid',
      at: at('.npmrc', 1),
    };
    expect(rule.run(packageFacts({ code: [npmrc] }))).toMatchObject([
      { severity: 'high', confidence: 'high' },
    ]);
    const setting = call('child_process.execSync', 'process', at('i.js', 2), [
      'npm config set registry https://npmjs-registry.com.invalid/',
    ]);
    expect(rule.run(packageFacts({ code: [setting] }))).toMatchObject([{ confidence: 'high' }]);
    expect(
      rule.run(packageFacts({ code: [url('https://npnjs.com.invalid/login', at('i.js', 3))] })),
    ).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
    expect(
      rule.run(
        packageFacts({
          code: [str('Reply to support@npmjs.help.invalid to keep your account', at('i.js', 4))],
        }),
      ),
    ).toMatchObject([{ confidence: 'medium' }]);
  });

  it.each([
    'see https://docs.npmjs.com/cli and github.com/owner/repo',
    'load github.json and npmjs.md',
    'registry=https://registry.npmjs.org/',
  ])('is silent for %s', (text) => {
    expect(rule.run(packageFacts({ code: [str(text, at('i.js'))] }))).toEqual([]);
  });
});
