import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { YarnFlavour } from './client-env.js';

/**
 * Yarn 1 or Yarn 2+? The project says so first: a `packageManager` field naming yarn@<major>,
 * or a .yarnrc.yml (only Berry reads it). Otherwise ask the `yarn` on PATH for its version,
 * which is what will run (Corepack shims answer for the project's pinned version).
 */
export const detectYarnFlavour = (
  projectDir: string,
  yarnVersion: () => string | undefined = () => runYarnVersion(projectDir),
): YarnFlavour => {
  for (let dir = projectDir; ; dir = dirname(dir)) {
    const pinned = packageManagerYarnMajor(join(dir, 'package.json'));
    if (pinned !== undefined) return pinned >= 2 ? 'berry' : 'classic';
    if (existsSync(join(dir, '.yarnrc.yml'))) return 'berry';
    if (dirname(dir) === dir) break;
  }
  const major = Number.parseInt(yarnVersion() ?? '', 10);
  return Number.isFinite(major) && major >= 2 ? 'berry' : 'classic';
};

const packageManagerYarnMajor = (file: string): number | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const field = (manifest as { packageManager?: unknown }).packageManager;
    if (typeof field !== 'string') return undefined;
    const match = /^yarn@(\d+)\./.exec(field);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
};

const runYarnVersion = (cwd: string): string | undefined => {
  const run = spawnSync('yarn', ['--version'], { cwd, encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
};

/**
 * Yarn Berry's registry from the nearest .yarnrc.yml (`npmRegistryServer`), or from the user's
 * ~/.yarnrc.yml: what a Berry project installs from, where .npmrc says nothing.
 */
export const berryRegistry = (projectDir: string, home: string = homedir()): string | undefined => {
  const files: string[] = [];
  for (let dir = projectDir; ; dir = dirname(dir)) {
    files.push(join(dir, '.yarnrc.yml'));
    if (dirname(dir) === dir) break;
  }
  files.push(join(home, '.yarnrc.yml'));
  for (const file of files) {
    if (!existsSync(file)) continue;
    try {
      const value: unknown = parse(readFileSync(file, 'utf8'));
      const server = (value as { npmRegistryServer?: unknown } | null)?.npmRegistryServer;
      if (typeof server === 'string' && server !== '') return server;
    } catch {
      // Berry itself reports a broken .yarnrc.yml
    }
  }
  return undefined;
};
