import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../../core/errors.js';
import type { SandboxTarget } from './prepare-target.js';

const run = promisify(execFile);

/** The project the sandbox installs into, resolved on the host with every tarball in the cache. */
export type StagedProject = {
  /** File name → content for the project directory (package.json, package-lock.json, vendor/…). */
  files: Map<string, string | Uint8Array>;
  /** The npm cache (its `_cacache` is mounted read-only in the sandbox). */
  npmCache: string;
  /** Packages the install will lay down, for the report. */
  packages: number;
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
};

/**
 * Resolves the dependency tree on the host with npm itself — `--package-lock-only` and `npm cache
 * add`, which download and verify but neither extract nor run anything — so the sandboxed
 * install works offline exactly as npm would install it.
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

  const common = [
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--ignore-scripts',
    '--omit-lockfile-registry-resolved=false',
    '--cache',
    options.npmCache,
    options.offline ? '--offline' : '--prefer-offline',
    ...(options.registry ? ['--registry', options.registry] : []),
  ];
  await npm(options, ['install', '--package-lock-only', ...common], target.source);
  const lockText = readFileSync(join(options.dir, 'package-lock.json'), 'utf8');
  files.set('package-lock.json', lockText);
  const lock = JSON.parse(lockText) as { packages?: Record<string, { resolved?: string; link?: boolean }> };
  const urls = Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path !== '' && !entry.link && /^https?:/.test(entry.resolved ?? ''))
    .map(([, entry]) => entry.resolved!);
  for (let i = 0; i < urls.length; i += 200)
    await npm(options, ['cache', 'add', ...urls.slice(i, i + 200), ...common], target.source);
  return { files, npmCache: options.npmCache, packages: Object.keys(lock.packages ?? {}).length - 1 };
};

const npm = async (options: StageOptions, args: string[], source: string): Promise<void> => {
  try {
    await run(options.node, [options.npmCli, ...args], {
      cwd: options.dir,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_loglevel: 'error', NO_UPDATE_NOTIFIER: '1' },
    });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const detail = (stderr || message)
      .split('\n')
      .map((line) => line.replace(/^npm error /, '').trim())
      .filter((line) => line && !line.startsWith('A complete log'))
      .slice(0, 2)
      .join(' ');
    throw new InputError(source, `cannot be resolved for the sandbox install (${detail})`);
  }
};
