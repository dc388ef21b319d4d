import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berryRegistry, detectYarnFlavour } from './yarn-flavour.js';

const project = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-yarn-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
const never = () => {
  throw new Error('yarn --version should not run');
};

describe('detectYarnFlavour', () => {
  it('reads the packageManager field first', () => {
    expect(detectYarnFlavour(project({ 'package.json': '{"packageManager":"yarn@4.5.0"}' }), never)).toBe(
      'berry',
    );
    expect(
      detectYarnFlavour(
        project({ 'package.json': '{"packageManager":"yarn@1.22.22"}', '.yarnrc.yml': '' }),
        never,
      ),
    ).toBe('classic');
  });

  it('takes a .yarnrc.yml, here or in a parent, as Berry', () => {
    const dir = project({ '.yarnrc.yml': 'nodeLinker: node-modules\n', 'packages/app/package.json': '{}' });
    expect(detectYarnFlavour(join(dir, 'packages/app'), () => '1.22.22')).toBe('berry');
  });

  it("otherwise asks yarn's version", () => {
    const dir = project({ 'package.json': '{"name":"x"}' });
    expect(detectYarnFlavour(dir, () => '4.5.0')).toBe('berry');
    expect(detectYarnFlavour(dir, () => '1.22.22')).toBe('classic');
    expect(detectYarnFlavour(dir, () => undefined)).toBe('classic');
  });
});

describe('berryRegistry', () => {
  it("reads npmRegistryServer from the nearest .yarnrc.yml, then the user's", () => {
    const dir = project({
      '.yarnrc.yml': 'npmRegistryServer: "http://127.0.0.1:7001"\n',
      'app/.yarnrc.yml': 'nodeLinker: node-modules\n',
      'app/package.json': '{}',
    });
    const home = project({ '.yarnrc.yml': 'npmRegistryServer: http://127.0.0.1:7002\n' });
    expect(berryRegistry(join(dir, 'app'), home)).toBe('http://127.0.0.1:7001');
    expect(berryRegistry(project({}), home)).toBe('http://127.0.0.1:7002');
    expect(berryRegistry(project({ '.yarnrc.yml': ': [' }), project({}))).toBeUndefined();
  });
});
