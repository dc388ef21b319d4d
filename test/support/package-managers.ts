import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real package managers the end-to-end tests drive. */
export type ClientId = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

export const CLIENT_IDS: readonly ClientId[] = ['npm', 'pnpm', 'yarn-classic', 'yarn-berry', 'bun'];

interface ClientSpec {
  /** The npm package that carries the client, at an exact version present in the registry mirror. */
  pkg: string;
  version: string;
  /** argv before the client's own arguments, relative to the install directory. */
  argv: (dir: string) => string[];
}

const SPECS: Record<ClientId, ClientSpec> = {
  npm: {
    pkg: 'npm',
    version: '11.21.2',
    argv: (dir) => [process.execPath, join(dir, 'node_modules/npm/bin/npm-cli.js')],
  },
  pnpm: {
    pkg: 'pnpm',
    version: '10.34.9',
    argv: (dir) => [process.execPath, join(dir, 'node_modules/pnpm/bin/pnpm.cjs')],
  },
  'yarn-classic': {
    pkg: 'yarn',
    version: '1.22.22',
    argv: (dir) => [process.execPath, join(dir, 'node_modules/yarn/bin/yarn.js')],
  },
  'yarn-berry': {
    pkg: '@yarnpkg/cli-dist',
    version: '4.18.1',
    argv: (dir) => [process.execPath, join(dir, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js')],
  },
  // `bun` gets its binary from an optional dependency (@oven/bun-linux-x64); its postinstall moves
  // it to bin/bun.exe.
  bun: {
    pkg: 'bun',
    version: '1.4.5',
    argv: (dir) => [join(dir, 'node_modules/bun/bin/bun.exe')],
  },
};

/**
 * What the firewall's Requester calls each client, read from its User-Agent. Yarn Berry sends
 * got's default (`got (https://github.com/sindresorhus/got)`), so it is `other`.
 */
export const FIREWALL_CLIENT: Record<ClientId, 'npm' | 'pnpm' | 'yarn' | 'bun' | 'other'> = {
  npm: 'npm',
  pnpm: 'pnpm',
  'yarn-classic': 'yarn',
  'yarn-berry': 'other',
  bun: 'bun',
};

export const clientVersion = (id: ClientId): string => SPECS[id].version;

const repoRoot = join(import.meta.dirname, '../..');
/** Clients are installed once per machine and reused by every test file. */
export const clientCacheDir = (): string =>
  process.env.BULWARK_CLIENT_CACHE ?? join(repoRoot, 'node_modules/.cache/bulwark/clients');

export type ChildRun = {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
};

const MAX_OUTPUT = 16 * 1024 * 1024;

/** Runs a child with a hard time bound; the whole process group is killed when it runs over. */
export const runBounded = (
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string },
): Promise<ChildRun> =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    child.on('error', (error) => {
      stderr += `\nspawn failed: ${error.message}`;
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });

/** The environment without anything a user or an outer `npm run` set for package managers. */
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|yarn_|pnpm_|bun_|berry_|corepack_|node_options$|init_cwd$|force_color$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock directory (mkdir is atomic); a holder that died leaves one older than `staleMs`. */
const withLock = async <T>(lock: string, fn: () => Promise<T>, staleMs = 10 * 60_000): Promise<T> => {
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > staleMs) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

const installed = new Map<ClientId, Promise<string>>();

const works = async (id: ClientId, dir: string): Promise<string | undefined> => {
  const argv = SPECS[id].argv(dir);
  if (!existsSync(argv[argv.length - 1]!)) return `${argv[argv.length - 1]} is missing`;
  const home = mkdtempSync(join(tmpdir(), 'bulwark-client-check-'));
  try {
    const run = await runBounded([...argv, '--version'], {
      cwd: home,
      env: { ...cleanEnv(), HOME: home, YARN_ENABLE_TELEMETRY: '0' },
      timeoutMs: 30_000,
    });
    const out = run.stdout.trim();
    if (run.status !== 0 || !out.includes(SPECS[id].version)) {
      return `\`${SPECS[id].pkg} --version\` gave status ${run.status}: ${(out + run.stderr).slice(0, 300)}`;
    }
    return undefined;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
};

const install = async (id: ClientId): Promise<string> => {
  const spec = SPECS[id];
  const cache = clientCacheDir();
  mkdirSync(cache, { recursive: true });
  const dir = join(cache, `${spec.pkg.replace('/', '+')}@${spec.version}`);
  if (existsSync(join(dir, '.complete')) && (await works(id, dir)) === undefined) return dir;
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(join(dir, '.complete')) && (await works(id, dir)) === undefined) return dir;
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const env = cleanEnv();
    if (process.env.npm_config_registry) env.npm_config_registry = process.env.npm_config_registry;
    const run = await runBounded(
      [
        'npm',
        'install',
        '--prefix',
        staging,
        '--no-audit',
        '--no-fund',
        '--no-save',
        '--no-package-lock',
        `${spec.pkg}@${spec.version}`,
      ],
      { cwd: staging, env, timeoutMs: 300_000 },
    );
    if (run.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(
        `installing ${spec.pkg}@${spec.version} failed (${run.status}): ${run.stderr.slice(-1000)}`,
      );
    }
    if (id === 'bun' && !existsSync(join(staging, 'node_modules/bun/bin/bun.exe'))) {
      // The postinstall did not run (npm's allowScripts); run the package's own installer.
      await runBounded([process.execPath, 'install.js'], {
        cwd: join(staging, 'node_modules/bun'),
        env,
        timeoutMs: 120_000,
      });
    }
    // Relative symlinks in node_modules/.bin survive the rename.
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    const problem = await works(id, dir);
    if (problem !== undefined) throw new Error(`${spec.pkg}@${spec.version} does not run here: ${problem}`);
    writeFileSync(join(dir, '.complete'), new Date().toISOString());
    return dir;
  });
};

/** Installs the client once (cached across runs and test files); resolves to its install directory. */
export const ensureClient = (id: ClientId): Promise<string> => {
  let pending = installed.get(id);
  if (!pending) {
    pending = install(id);
    installed.set(id, pending);
  }
  return pending;
};

/** Whether the client works here; the reason when it does not (tests skip with it). */
export const clientProblem = async (id: ClientId): Promise<string | undefined> => {
  try {
    await ensureClient(id);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/** Nothing listens on the discard port: a connection through this proxy is refused at once. */
const DEAD_PROXY = 'http://127.0.0.1:9';

export type ClientCommand = { argv: string[]; env: NodeJS.ProcessEnv };

export type ClientContext = {
  /** A throwaway home: caches, config and stores of every client live under it. */
  home: string;
  /** The registry the client talks to, with or without a trailing slash. */
  registry: string;
};

/**
 * argv and environment to run one client isolated from the user's configuration: its own HOME,
 * caches and stores in `home`, no global .npmrc/.yarnrc, no telemetry, scripts off (fixture
 * packages are never executed), the registry set the way that client reads it.
 */
export const clientCommand = (id: ClientId, dir: string, context: ClientContext): ClientCommand => {
  const { home } = context;
  const registry = context.registry.endsWith('/') ? context.registry : `${context.registry}/`;
  const host = new URL(registry).hostname;
  for (const sub of ['config', 'cache', 'data', 'state', 'npm-cache', 'tmp']) {
    mkdirSync(join(home, sub), { recursive: true });
  }
  const userconfig = join(home, '.npmrc');
  const globalconfig = join(home, 'global-npmrc');
  if (!existsSync(userconfig)) writeFileSync(userconfig, '');
  if (!existsSync(globalconfig)) writeFileSync(globalconfig, '');
  const common: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    HOME: home,
    USERPROFILE: home,
    TMPDIR: join(home, 'tmp'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_STATE_HOME: join(home, 'state'),
    NO_COLOR: '1',
    CI: '1',
    DO_NOT_TRACK: '1',
    // Loopback registries are plain http; anything https (a public registry a lockfile or a
    // client default names) goes to a dead loopback proxy, so no test reaches an outside host.
    HTTPS_PROXY: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    // Every client but Berry reads these .npmrc locations; empty files shadow the user's.
    npm_config_userconfig: userconfig,
    npm_config_globalconfig: globalconfig,
  };
  const own: Record<ClientId, NodeJS.ProcessEnv> = {
    npm: {
      npm_config_registry: registry,
      npm_config_https_proxy: DEAD_PROXY,
      npm_config_noproxy: '127.0.0.1,localhost,::1',
      // The default, relied on: lockfile URLs on registry.npmjs.org go to the configured registry.
      npm_config_replace_registry_host: 'npmjs',
      npm_config_cache: join(home, 'npm-cache'),
      npm_config_ignore_scripts: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_fetch_retries: '0',
      npm_config_fetch_timeout: '30000',
    },
    pnpm: {
      npm_config_registry: registry,
      npm_config_https_proxy: DEAD_PROXY,
      npm_config_noproxy: '127.0.0.1,localhost,::1',
      npm_config_ignore_scripts: 'true',
      npm_config_store_dir: join(home, 'pnpm-store'),
      npm_config_cache_dir: join(home, 'pnpm-cache'),
      npm_config_state_dir: join(home, 'pnpm-state'),
      npm_config_update_notifier: 'false',
      npm_config_fetch_retries: '0',
      npm_config_fetch_timeout: '30000',
      // pnpm's own release-age gate stays off: the firewall's is under test.
      npm_config_minimum_release_age: '0',
      PNPM_HOME: join(home, 'pnpm-home'),
    },
    'yarn-classic': {
      npm_config_registry: registry,
      npm_config_https_proxy: DEAD_PROXY,
      YARN_CACHE_FOLDER: join(home, 'yarn-cache'),
      YARN_IGNORE_SCRIPTS: 'true',
      YARN_DISABLE_SELF_UPDATE_CHECK: 'true',
    },
    // Berry refuses unknown YARN_* settings, so only its own names here.
    'yarn-berry': {
      YARN_NPM_REGISTRY_SERVER: registry.replace(/\/$/, ''),
      YARN_UNSAFE_HTTP_WHITELIST: host,
      YARN_HTTPS_PROXY: DEAD_PROXY,
      YARN_ENABLE_TELEMETRY: '0',
      // Berry's own release-age gate stays off: the firewall's is under test.
      YARN_NPM_MINIMAL_AGE_GATE: '0',
      YARN_ENABLE_GLOBAL_CACHE: '0',
      YARN_GLOBAL_FOLDER: join(home, 'berry'),
      YARN_CACHE_FOLDER: join(home, 'berry-cache'),
      YARN_ENABLE_SCRIPTS: '0',
      YARN_NODE_LINKER: 'node-modules',
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
      YARN_ENABLE_HARDENED_MODE: '0',
      YARN_ENABLE_PROGRESS_BARS: '0',
      YARN_ENABLE_COLORS: '0',
      YARN_HTTP_RETRY: '0',
      YARN_HTTP_TIMEOUT: '30000',
    },
    bun: {
      BUN_CONFIG_REGISTRY: registry,
      BUN_INSTALL: join(home, 'bun'),
      BUN_INSTALL_CACHE_DIR: join(home, 'bun-cache'),
    },
  };
  const env = { ...common, ...own[id] };
  return { argv: SPECS[id].argv(dir), env };
};

/**
 * Flags for an install-like command, beside clientCommand's environment: Yarn classic and Bun
 * take the registry on the command line too, and every client but Berry (YARN_ENABLE_SCRIPTS=0)
 * is told again not to run lifecycle scripts.
 */
export const registryArgs = (id: ClientId, registry: string): string[] => {
  const url = registry.endsWith('/') ? registry : `${registry}/`;
  switch (id) {
    case 'yarn-classic':
      return ['--registry', url, '--ignore-scripts', '--non-interactive', '--no-progress'];
    case 'bun':
      return ['--registry', url, '--ignore-scripts', '--no-progress'];
    case 'npm':
    case 'pnpm':
      return ['--ignore-scripts'];
    default:
      return [];
  }
};

/** The command that adds packages to the current project: `npm install`, `<others> add`. */
export const addCommand = (id: ClientId, specs: string[]): string[] => [
  id === 'npm' ? 'install' : 'add',
  ...specs,
];

export type ClientRun = ChildRun & { id: ClientId; argv: string[]; output: string };

/** A client run for an assertion message: the command, how it ended, and the end of its output. */
export const explain = (run: ClientRun): string =>
  `${run.argv.slice(1).join(' ')} → status ${run.status}${run.timedOut ? ' (timed out)' : ''} in ${run.ms} ms\n${run.output.slice(-4000)}`;

/** Runs a client in `cwd`, bounded (90 s by default). `output` is stdout and stderr together. */
export const runClient = async (
  id: ClientId,
  args: string[],
  options: ClientContext & { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<ClientRun> => {
  const dir = await ensureClient(id);
  const command = clientCommand(id, dir, options);
  const argv = [...command.argv, ...args];
  const run = await runBounded(argv, {
    cwd: options.cwd,
    env: { ...command.env, ...options.env },
    timeoutMs: options.timeoutMs ?? 90_000,
  });
  return { ...run, id, argv, output: `${run.stdout}\n${run.stderr}` };
};

/** The installed version of `name` as Node would resolve it from `from` (any linker layout). */
export const installedVersion = (from: string, name: string): string | undefined => {
  try {
    const path = createRequire(join(realpathSync(from), 'package.json')).resolve(`${name}/package.json`);
    return JSON.parse(readFileSync(path, 'utf8')).version;
  } catch {
    return undefined;
  }
};
