import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { chooseParser, LOCKFILE_PARSERS, PARSERS_BY_NAME, parserForFile, sniffParser } from './index.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const real = (path: string) => readFileSync(join(repo, 'testdata', 'lockfiles', path), 'utf8');

describe('the format registry', () => {
  it('lists every parser once, by a unique name', () => {
    expect(LOCKFILE_PARSERS.map((parser) => parser.name)).toEqual([
      'lockfile/package-lock',
      'lockfile/yarn-lock',
      'lockfile/pnpm-lock',
      'lockfile/bun-lock',
      'lockfile/cyclonedx-sbom',
      'lockfile/package-json',
    ]);
    expect(PARSERS_BY_NAME.size).toBe(LOCKFILE_PARSERS.length);
  });

  it.each([
    ['package-lock.json', 'lockfile/package-lock'],
    ['/some/dir/npm-shrinkwrap.json', 'lockfile/package-lock'],
    ['yarn.lock', 'lockfile/yarn-lock'],
    ['pnpm-lock.yaml', 'lockfile/pnpm-lock'],
    ['bun.lock', 'lockfile/bun-lock'],
    ['bun.lockb', 'lockfile/bun-lock'],
    ['bom.json', 'lockfile/cyclonedx-sbom'],
    ['dist/app.cdx.json', 'lockfile/cyclonedx-sbom'],
    ['package.json', 'lockfile/package-json'],
    ['Gemfile.lock', undefined],
  ])('parserForFile(%s) is %s', (file, name) => {
    expect(parserForFile(file)?.name).toBe(name);
  });

  it.each([
    ['npm-cli/package-lock.json', 'lockfile/package-lock'],
    ['feature-extract-v1/package-lock.json', 'lockfile/package-lock'],
    ['safe-chain-shrinkwrap/npm-shrinkwrap.json', 'lockfile/package-lock'],
    ['jest/yarn.lock', 'lockfile/yarn-lock'],
    ['webpack/yarn.lock', 'lockfile/yarn-lock'],
    ['astro/pnpm-lock.yaml', 'lockfile/pnpm-lock'],
    ['vue-core/pnpm-lock.yaml', 'lockfile/pnpm-lock'],
    ['hono/bun.lock', 'lockfile/bun-lock'],
    ['hono/package.json', undefined],
  ])('recognises the content of the real %s', (path, name) => {
    expect(sniffParser(real(path))?.name).toBe(name);
  });

  it('recognises CycloneDX, bun.lockb headers, and nothing else', () => {
    expect(sniffParser('{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6"}')?.name).toBe(
      'lockfile/cyclonedx-sbom',
    );
    expect(sniffParser('#!/usr/bin/env bun\nbun-lockfile-format-v0\n\u0000')?.name).toBe('lockfile/bun-lock');
    expect(sniffParser('hello: world\n')).toBeUndefined();
    expect(sniffParser('')).toBeUndefined();
  });

  it('lets clear content win over a misleading name, with a warning', () => {
    const choice = chooseParser('/p/package-lock.json', real('webpack/yarn.lock'));
    expect(choice.parser.name).toBe('lockfile/yarn-lock');
    expect(choice.warning).toBe(
      'package-lock.json is named like package-lock but its content is yarn-lock; read it as yarn-lock',
    );
    expect(chooseParser('/p/deps.txt', real('astro/pnpm-lock.yaml'))).toEqual({
      parser: PARSERS_BY_NAME.get('lockfile/pnpm-lock'),
    });
    expect(chooseParser('/p/package.json', '{}').parser.name).toBe('lockfile/package-json');
  });

  it('rejects unrecognisable and empty inputs with an unknown name', () => {
    expect(() => chooseParser('/p/deps.txt', 'hello')).toThrow(InputError);
    expect(() => chooseParser('/p/deps.txt', 'hello')).toThrow(
      /^\/p\/deps\.txt: is not an input Bulwark recognises/,
    );
    expect(() => chooseParser('/p/deps.txt', ' \n')).toThrow('/p/deps.txt: is empty');
  });
});
