import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { siblingFiles } from './sibling-files.js';

const temp = mkdtempSync(join(tmpdir(), 'bulwark-siblings-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const project = join(temp, 'project');
mkdirSync(join(project, 'packages', 'a'), { recursive: true });
mkdirSync(join(project, 'packages', 'b'), { recursive: true });
writeFileSync(join(project, 'packages', 'a', 'package.json'), '{"name":"a"}');
writeFileSync(join(project, 'packages', 'file.txt'), 'x');
writeFileSync(join(temp, 'secret.txt'), 'outside');
symlinkSync(join(temp, 'secret.txt'), join(project, 'escape.txt'));
const lockfile = join(project, 'package-lock.json');
const files = siblingFiles(lockfile, project);

describe('siblingFiles', () => {
  it('reads files inside the lockfile directory and lists subdirectories', () => {
    expect(files.readSibling('packages/a/package.json')).toBe('{"name":"a"}');
    expect(files.readSibling('./packages/a/../a/package.json')).toBe('{"name":"a"}');
    expect(files.readSibling('packages/missing/package.json')).toBeUndefined();
    expect(files.readSibling('packages/a')).toBeUndefined();
    expect(files.listDir('packages')).toEqual(['a', 'b']);
    expect(files.listDir('')).toEqual(['packages']);
    expect(files.listDir('nope')).toBeUndefined();
  });

  it.each([
    '../secret.txt',
    '/etc/passwd',
    'packages/../../secret.txt',
    'C:\\Windows\\win.ini',
    'escape.txt',
  ])('refuses %s, naming the lockfile', (path) => {
    expect(() => files.readSibling(path)).toThrow(InputError);
    expect(() => files.readSibling(path)).toThrow(new RegExp(`^${lockfile}: refers to a path`));
  });

  it('refuses to list outside the directory', () => {
    expect(() => files.listDir('..')).toThrow(InputError);
  });
});
