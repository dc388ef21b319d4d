// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .npmrc values use the literal ${VAR} syntax under test
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authFor,
  authorizationHeader,
  DEFAULT_REGISTRY,
  expandEnv,
  loadNpmrc,
  nerfDart,
  parseNpmrc,
  registryFor,
} from './npmrc.js';

describe('expandEnv', () => {
  const env = { TOKEN: 'abc123', EMPTY: '' };
  it('expands ${VAR} like npm', () => {
    expect(expandEnv('${TOKEN}', env)).toBe('abc123');
    expect(expandEnv('x-${TOKEN}-y', env)).toBe('x-abc123-y');
    expect(expandEnv('${EMPTY}', env)).toBe('');
  });
  it('leaves unset variables as written unless marked optional', () => {
    expect(expandEnv('${MISSING}', env)).toBe('${MISSING}');
    expect(expandEnv('${MISSING?}', env)).toBe('');
  });
  it('honours backslash escapes', () => {
    expect(expandEnv('\\${TOKEN}', env)).toBe('${TOKEN}');
    expect(expandEnv('\\\\${TOKEN}', env)).toBe('\\abc123');
  });
});

describe('parseNpmrc', () => {
  const text = [
    '; a comment',
    '# another',
    'registry=https://registry.corp.example.invalid/npm/',
    '@acme:registry=https://npm.acme.example.invalid',
    '//registry.corp.example.invalid/npm/:_authToken=${CORP_TOKEN}',
    '//npm.acme.example.invalid/:_authToken="quoted-token"',
    '//basic.example.invalid/:_auth=dXNlcjpwYXNz',
    'strict-ssl=false',
    'not a key value line',
  ].join('\n');
  const config = parseNpmrc(text, { CORP_TOKEN: 'corp-secret' });

  it('reads the default and scoped registries, normalised with a trailing slash', () => {
    expect(config.registry).toBe('https://registry.corp.example.invalid/npm/');
    expect(registryFor(config, 'left-pad')).toBe('https://registry.corp.example.invalid/npm/');
    expect(registryFor(config, '@acme/widget')).toBe('https://npm.acme.example.invalid/');
    expect(registryFor(config, '@other/widget')).toBe('https://registry.corp.example.invalid/npm/');
  });

  it('reads tokens with env expansion and quoting', () => {
    expect(authFor(config, 'https://registry.corp.example.invalid/npm/')).toEqual({ token: 'corp-secret' });
    expect(authFor(config, 'https://npm.acme.example.invalid/')).toEqual({ token: 'quoted-token' });
    expect(authorizationHeader(authFor(config, 'https://basic.example.invalid/'))).toBe('Basic dXNlcjpwYXNz');
  });

  it('walks up the registry path but never crosses hosts', () => {
    const walk = parseNpmrc('//host.example.invalid/:_authToken=t1', {});
    expect(authFor(walk, 'https://host.example.invalid/deep/path/')).toEqual({ token: 't1' });
    expect(authFor(walk, 'https://other.example.invalid/')).toBeUndefined();
    expect(authFor(walk, 'https://host.example.invalid:8443/')).toBeUndefined();
  });

  it('computes nerf darts', () => {
    expect(nerfDart('https://r.example.invalid:8080/a/b')).toBe('//r.example.invalid:8080/a/b/');
  });

  it('ignores prototype-looking keys', () => {
    const hostile = parseNpmrc('__proto__=x\n@__proto__:registry=https://evil.example.invalid/', {});
    expect(({} as Record<string, unknown>).registry).toBeUndefined();
    expect(registryFor(hostile, '@__proto__/x')).toBe('https://evil.example.invalid/');
    expect(registryFor(hostile, 'plain')).toBe(DEFAULT_REGISTRY);
  });
});

describe('loadNpmrc', () => {
  it('lets the project .npmrc override ~/.npmrc and the environment override both', () => {
    const home = mkdtempSync(join(tmpdir(), 'bulwark-home-'));
    const project = mkdtempSync(join(tmpdir(), 'bulwark-proj-'));
    writeFileSync(
      join(home, '.npmrc'),
      'registry=https://user.example.invalid/\n//user.example.invalid/:_authToken=u\n',
    );
    writeFileSync(join(project, '.npmrc'), '@acme:registry=https://acme.example.invalid/\n');
    const fromFiles = loadNpmrc({ projectDir: project, home, env: {} });
    expect(fromFiles.registry).toBe('https://user.example.invalid/');
    expect(fromFiles.scopes.get('@acme')).toBe('https://acme.example.invalid/');
    expect(authFor(fromFiles, 'https://user.example.invalid/')).toEqual({ token: 'u' });

    writeFileSync(join(project, '.npmrc'), 'registry=https://project.example.invalid\n');
    expect(loadNpmrc({ projectDir: project, home, env: {} }).registry).toBe(
      'https://project.example.invalid/',
    );
    expect(
      loadNpmrc({ projectDir: project, home, env: { npm_config_registry: 'https://env.example.invalid' } })
        .registry,
    ).toBe('https://env.example.invalid/');
  });
});
