import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostNpm } from './host-npm.js';
import type { SandboxTarget } from './prepare-target.js';

/** The project the sandbox installs into, resolved on the host with every tarball in the cache. */
export type StagedProject = {
  /** File name → content for the project directory (package.json, package-lock.json, vendor/…). */
  files: Map<string, string | Uint8Array>;
  /** The npm cache (its `_cacache` is mounted read-only in the sandbox). */
  npmCache: string;
  /** Packages the install will lay down, for the report. */
  packages: number;
  /** The resolution came from an earlier run's staging (no npm run on the host this time). */
  reused: boolean;
  /** The file that remembers this resolution for later runs. */
  rememberedAt?: string;
};

/** Drops a remembered resolution (its tarballs left the cache). */
export const forgetStaging = (staged: StagedProject): void => {
  if (staged.rememberedAt) rmSync(staged.rememberedAt, { force: true });
};

export type StageOptions = {
  node: string;
  npmCli: string;
  /** Persistent npm cache shared by sandbox runs (content-addressed; read-only inside the sandbox). */
  npmCache: string;
  /** Host directory to stage in (removed by the caller). */
  dir: string;
  appName: string;
  offline?: boolean;
  registry?: string;
  /** Where resolved lockfiles are kept between runs; absent: always resolve. */
  lockCache?: string;
};

type LockEntry = { resolved?: string; link?: boolean; os?: string[]; cpu?: string[] };
type Lockfile = { name?: string; packages?: Record<string, LockEntry & { name?: string }> };

/**
 * Resolves the dependency tree on the host with npm itself — `--package-lock-only` and `npm cache
 * add`, which download and verify but neither extract nor run anything — so the sandboxed
 * install works offline exactly as npm would install it. A target staged before (same bytes, same
 * registry) reuses its lockfile: its tarballs are already in the cache.
 */
export const stageProject = async (target: SandboxTarget, options: StageOptions): Promise<StagedProject> => {
  mkdirSync(options.dir, { recursive: true });
  const files = new Map<string, string | Uint8Array>();
  let spec: string;
  if (target.dependency.kind === 'tarball') {
    mkdirSync(join(options.dir, 'vendor'), { recursive: true });
    const relative = `vendor/${target.dependency.fileName}`;
    writeFileSync(join(options.dir, relative), target.dependency.bytes);
    files.set(relative, target.dependency.bytes);
    spec = `file:${relative}`;
  } else spec = target.dependency.version;
  const manifest = {
    name: options.appName,
    version: '1.0.0',
    private: true,
    description: '',
    main: 'index.js',
    scripts: { start: 'node index.js', test: 'node --test' },
    dependencies: { [target.name]: spec },
  };
  const packageJson = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(options.dir, 'package.json'), packageJson);
  files.set('package.json', packageJson);

  const remembered = options.lockCache
    ? join(options.lockCache, `${stagingKey(target, options)}.json`)
    : undefined;
  const reused = remembered ? readRemembered(remembered, options.appName) : undefined;
  if (reused) {
    files.set('package-lock.json', reused.text);
    return {
      files,
      npmCache: options.npmCache,
      packages: countPackages(reused.lock),
      reused: true,
      ...(remembered ? { rememberedAt: remembered } : {}),
    };
  }

  const common = [
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--ignore-scripts',
    '--omit-lockfile-registry-resolved=false',
    // A dependency on an unreachable URL fails in seconds, not after a minute of retries.
    '--fetch-retries=0',
    '--fetch-timeout=15000',
    '--cache',
    options.npmCache,
    options.offline ? '--offline' : '--prefer-offline',
    ...(options.registry ? ['--registry', options.registry] : []),
  ];
  await npm(options, ['install', '--package-lock-only', ...common], target.source);
  const lockText = readFileSync(join(options.dir, 'package-lock.json'), 'utf8');
  files.set('package-lock.json', lockText);
  const lock = JSON.parse(lockText) as Lockfile;
  // Platform packages for other systems (esbuild ships 23) are never installed here: skip them.
  const urls = Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path !== '' && !entry.link && /^https?:/.test(entry.resolved ?? ''))
    .filter(([, entry]) => fits(entry.os, process.platform) && fits(entry.cpu, process.arch))
    .map(([, entry]) => entry.resolved!);
  for (let i = 0; i < urls.length; i += 200)
    await npm(options, ['cache', 'add', ...urls.slice(i, i + 200), ...common], target.source);
  if (remembered) remember(remembered, lockText);
  return {
    files,
    npmCache: options.npmCache,
    packages: countPackages(lock),
    reused: false,
    ...(remembered ? { rememberedAt: remembered } : {}),
  };
};

/** npm's `os`/`cpu` fields: a list of allowed values, or of `!excluded` ones. */
const fits = (allowed: string[] | undefined, value: string): boolean => {
  if (!Array.isArray(allowed) || allowed.length === 0) return true;
  if (allowed.includes(`!${value}`)) return false;
  const positive = allowed.filter((entry) => !entry.startsWith('!'));
  return positive.length === 0 || positive.includes(value);
};

const countPackages = (lock: Lockfile): number => Math.max(0, Object.keys(lock.packages ?? {}).length - 1);

const stagingKey = (target: SandboxTarget, options: StageOptions): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        target.name,
        target.version,
        target.integrity ?? '',
        options.registry ?? '',
        process.platform,
        process.arch,
      ]),
    )
    .digest('hex')
    .slice(0, 32);

/** A lockfile resolved by an earlier run, renamed for this run's app; undefined when unusable. */
const readRemembered = (file: string, appName: string): { text: string; lock: Lockfile } | undefined => {
  try {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as Lockfile;
    if (!lock.packages?.['']) return undefined;
    lock.name = appName;
    lock.packages[''].name = appName;
    return { text: `${JSON.stringify(lock, null, 2)}\n`, lock };
  } catch {
    return undefined;
  }
};

const remember = (file: string, lockText: string): void => {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, lockText);
    renameSync(temp, file);
  } catch {}
};

const npm = (options: StageOptions, args: string[], source: string): Promise<void> =>
  hostNpm(options, args, {
    cwd: options.dir,
    timeoutMs: 300_000,
    input: source,
    failure: 'cannot be resolved for the sandbox install',
  });
