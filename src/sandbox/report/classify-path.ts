/**
 * What a path inside the sandbox means: a secret (`sensitive`), a place code goes to run again
 * later or to reach other people (`persistence`), or noise every process touches (`noise`). Paths
 * are sandbox paths; `home` and `project` come from the run's identity.
 */

export type PathContext = { home: string; project: string };

/** Category names, as FileActivity.sensitive documents them. */
export type SensitiveCategory =
  | 'ssh'
  | 'npmrc'
  | 'yarnrc'
  | 'shell-history'
  | 'cloud-credentials'
  | 'git-credentials'
  | 'registry-credentials'
  | 'env-file'
  | 'browser-profile'
  | 'wallet'
  | 'messaging'
  | 'password-manager'
  | 'system-secrets'
  | 'process-memory'
  /** Under one of the honeytoken plan's bait paths (nothing else would touch it). */
  | 'bait';

export type PersistenceTarget =
  | 'systemd-user'
  | 'systemd'
  | 'crontab'
  | 'shell-rc'
  | 'autostart'
  | 'launch-agent'
  | 'git-hooks'
  | 'ci-workflow'
  | 'editor-config'
  | 'ai-agent-config'
  | 'other-package';

/**
 * Categories a legitimate tool also reads as its own configuration (npm clients read .npmrc,
 * dotenv reads .env): a read of one of these alone is weak evidence.
 */
export const TOOL_CONFIG_CATEGORIES: ReadonlySet<SensitiveCategory> = new Set([
  'npmrc',
  'yarnrc',
  'env-file',
]);

/** Persistence targets whose mere write is near-certain intent to run again (not shell rc or hooks, which installers of completions and git tooling touch). */
export const STRONG_PERSISTENCE: ReadonlySet<PersistenceTarget> = new Set([
  'systemd-user',
  'systemd',
  'crontab',
  'autostart',
  'launch-agent',
]);

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** `rest` of `path` below `dir`, or undefined when outside. */
const below = (path: string, dir: string): string | undefined =>
  path === dir ? '' : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

type Pattern = { category: SensitiveCategory; home?: RegExp; anywhere?: RegExp };

// Wallet extension ids (MetaMask, Phantom, Coinbase Wallet, Binance, TronLink) inside any browser profile.
const WALLET_EXTENSIONS =
  /(?:nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|hnfanknocfeofbddgcijnmhnfnkdnaad|fhbohimaelbohpjbbldcngcnapndodjp|ibnejdfjmmkpcnlpebklmnkoeoihofec)/;

// Order matters: wallets inside browser profiles are wallets first.
const SENSITIVE: readonly Pattern[] = [
  { category: 'wallet', anywhere: WALLET_EXTENSIONS },
  {
    category: 'wallet',
    home: /^(?:\.config\/(?:Exodus|Electrum|solana|atomic|Ledger Live|Guarda)(?:\/|$)|Exodus\/|\.exodus(?:\/|$)|\.electrum(?:\/|$)|\.ethereum\/keystore(?:\/|$)|\.bitcoin\/|\.litecoin\/|\.monero\/|\.local\/share\/(?:io\.parity\.ethereum|Exodus)|\.config\/Exodus)/,
  },
  { category: 'wallet', anywhere: /\/exodus\.wallet(?:\/|$)|\/wallet\.dat$|\/keystore\/UTC--/ },
  { category: 'ssh', home: /^\.ssh(?:\/|$)/ },
  { category: 'npmrc', home: /^\.npmrc$|^\.config\/npm\/npmrc$/ },
  { category: 'yarnrc', home: /^\.yarnrc(?:\.yml)?$/ },
  {
    category: 'shell-history',
    home: /^(?:\.(?:bash|zsh|sh|ksh|node_repl|python|psql|mysql|sqlite|rediscli)_history|\.history|\.zhistory|\.local\/share\/fish\/fish_history)$/,
  },
  {
    category: 'cloud-credentials',
    home: /^(?:\.aws|\.azure|\.kube|\.config\/gcloud|\.config\/doctl|\.oci|\.terraform\.d|\.config\/hcloud)(?:\/|$)|^\.docker\/config\.json$|^\.terraformrc$/,
  },
  {
    category: 'git-credentials',
    home: /^(?:\.git-credentials|\.config\/git\/credentials|\.config\/gh\/hosts\.yml|\.netrc|_netrc)$/,
  },
  {
    category: 'registry-credentials',
    home: /^(?:\.pypirc|\.gem\/credentials|\.cargo\/credentials(?:\.toml)?|\.m2\/settings\.xml|\.nuget\/NuGet\/NuGet\.Config|\.composer\/auth\.json)$/,
  },
  {
    category: 'browser-profile',
    home: /^(?:\.config\/(?:google-chrome(?:-beta|-unstable)?|chromium|BraveSoftware|microsoft-edge(?:-beta|-dev)?|vivaldi|opera)(?:\/|$)|\.mozilla\/firefox(?:\/|$)|snap\/(?:chromium|firefox)(?:\/|$)|Library\/Application Support\/(?:Google\/Chrome|BraveSoftware|Microsoft Edge|Firefox)(?:\/|$))/,
  },
  {
    category: 'messaging',
    home: /^(?:\.config\/(?:discord|discordcanary|discordptb|Slack|Signal)(?:\/|$)|\.local\/share\/TelegramDesktop(?:\/|$)|Library\/Application Support\/(?:discord|Telegram Desktop)(?:\/|$))/,
  },
  {
    category: 'password-manager',
    home: /^(?:\.password-store|\.config\/(?:Bitwarden|1Password|KeePassXC|keepassxc)|\.gnupg|\.local\/share\/keyrings|Library\/Keychains)(?:\/|$)/,
  },
  { category: 'password-manager', anywhere: /\.kdbx$/ },
  {
    category: 'system-secrets',
    anywhere: /^\/etc\/(?:shadow|gshadow|sudoers)(?:$|\/)|^\/etc\/ssh\/ssh_host_/,
  },
  // Another process's memory or environment (the tj-actions / Shai-Hulud runner memory dump).
  { category: 'process-memory', anywhere: /^\/proc\/\d+\/(?:mem|environ)$/ },
];

const ENV_FILE = /^\.env(?:\..+)?$/;

/** The sensitive category of a path, if any. `.env*` counts in the project and the home. */
export const sensitiveCategory = (path: string, context: PathContext): SensitiveCategory | undefined => {
  const inHome = below(path, context.home);
  for (const pattern of SENSITIVE) {
    if (pattern.anywhere?.test(path)) return pattern.category;
    if (inHome !== undefined && pattern.home?.test(inHome)) return pattern.category;
  }
  const name = basename(path);
  if (ENV_FILE.test(name) && !name.endsWith('.example') && !name.endsWith('.sample')) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (dir === context.home || dir === context.project) return 'env-file';
  }
  if (name === '.npmrc' && path === `${context.project}/.npmrc`) return 'npmrc';
  if ((name === '.yarnrc.yml' || name === '.yarnrc') && path === `${context.project}/${name}`)
    return 'yarnrc';
  return undefined;
};

const AI_AGENT_FILES = new Set([
  'CLAUDE.md',
  'AGENTS.md',
  'GEMINI.md',
  '.cursorrules',
  '.windsurfrules',
  'mcp.json',
  '.mcp.json',
  '.claude.json',
  'copilot-instructions.md',
]);
const AI_AGENT_DIRS =
  /(?:^|\/)(?:\.claude|\.cursor|\.gemini|\.windsurf|\.codeium|\.continue|\.aider|\.config\/claude|\.config\/github-copilot|\.codex)(?:\/|$)/;

/**
 * The persistence target a WRITE to `path` touches, if any. `ownRoot` is the writing package's
 * own directory, so that a package writing into itself is not `other-package`.
 */
export const persistenceTarget = (
  path: string,
  context: PathContext,
  ownRoot?: string,
): PersistenceTarget | undefined => {
  const inHome = below(path, context.home);
  if (inHome !== undefined) {
    if (/^\.config\/systemd\/user(?:\/|$)|^\.local\/share\/systemd\/user(?:\/|$)/.test(inHome))
      return 'systemd-user';
    if (/^\.config\/autostart(?:\/|$)/.test(inHome)) return 'autostart';
    if (/^Library\/Launch(?:Agents|Daemons)(?:\/|$)/.test(inHome)) return 'launch-agent';
    if (
      /^(?:\.bashrc|\.bash_profile|\.bash_login|\.bash_logout|\.profile|\.zshrc|\.zshenv|\.zprofile|\.zlogin|\.kshrc|\.cshrc|\.tcshrc|\.config\/fish\/config\.fish|\.config\/fish\/conf\.d\/.*)$/.test(
        inHome,
      )
    )
      return 'shell-rc';
  }
  if (/^\/(?:etc\/systemd|usr\/lib\/systemd|lib\/systemd)\//.test(path)) return 'systemd';
  if (/^\/(?:var\/spool\/cron|etc\/cron\.|etc\/crontab$|etc\/cron\.d)/.test(path)) return 'crontab';
  if (/^\/etc\/(?:profile|bash\.bashrc|zsh\/|profile\.d\/|environment$|ld\.so\.preload$)/.test(path))
    return 'shell-rc';
  if (/^\/(?:Library\/Launch(?:Agents|Daemons))\//.test(path)) return 'launch-agent';
  if (/\/\.git\/hooks(?:\/|$)/.test(path) || /\/\.husky\/[^/]+$/.test(path)) return 'git-hooks';
  if (
    /\/\.github\/workflows(?:\/|$)|\/\.gitlab-ci\.ya?ml$|\/\.circleci\/config\.ya?ml$|\/azure-pipelines\.ya?ml$|\/bitbucket-pipelines\.yml$|\/Jenkinsfile$/.test(
      path,
    )
  )
    return 'ci-workflow';
  if (AI_AGENT_DIRS.test(path) || AI_AGENT_FILES.has(basename(path))) return 'ai-agent-config';
  if (/\/\.vscode(?:\/|$)|\/\.idea(?:\/|$)|\/\.config\/Code\/User(?:\/|$)/.test(path)) return 'editor-config';
  const other = otherPackageOf(path, context, ownRoot);
  if (other) return 'other-package';
  return undefined;
};

/**
 * The package directory under the project's node_modules that `path` is in, when it is not the
 * writer's own (`ownRoot`) and not a shared cache (`node_modules/.cache`).
 */
export const otherPackageOf = (path: string, context: PathContext, ownRoot?: string): string | undefined => {
  const root = `${context.project}/node_modules`;
  const rest = below(path, root);
  if (rest === undefined || rest === '') return undefined;
  if (ownRoot && under(path, ownRoot)) return undefined;
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  // npm's own bookkeeping and tool caches are not a package.
  if (first === '.cache' || first === '.package-lock.json' || first === '.modules.yaml') return undefined;
  if (first === '.bin') return `${root}/.bin`;
  if (first.startsWith('@')) return parts.length > 1 ? `${root}/${first}/${parts[1]}` : undefined;
  return `${root}/${first}`;
};

// Prefixes whose reads say nothing about a package: the runtime, libraries, devices, locale and
// name-service files every process opens.
const NOISE_PREFIXES = [
  '/usr/',
  '/lib/',
  '/lib64/',
  '/lib32/',
  '/bin/',
  '/sbin/',
  '/sys/',
  '/proc/self/',
  '/proc/thread-self/',
  '/dev/pts/',
  '/etc/ssl/',
  '/etc/ca-certificates/',
  '/etc/alternatives/',
  '/etc/ld.so.conf.d/',
  '/etc/fonts/',
  '/etc/python3',
];
const NOISE_FILES = new Set([
  '/dev/null',
  '/dev/zero',
  '/dev/urandom',
  '/dev/random',
  '/dev/tty',
  '/dev/ptmx',
  '/dev/full',
  '/etc/ld.so.cache',
  '/etc/ld.so.preload',
  '/etc/localtime',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/resolv.conf',
  '/etc/nsswitch.conf',
  '/etc/gai.conf',
  '/etc/passwd',
  '/etc/group',
  '/etc/os-release',
  '/etc/mime.types',
  '/etc/npmrc',
  '/proc/meminfo',
  '/proc/cpuinfo',
  '/proc/stat',
  '/proc/loadavg',
  '/proc/version',
  '/proc/filesystems',
  '/proc/mounts',
  '/proc/sys/kernel/osrelease',
  '/proc/sys/vm/overcommit_memory',
]);

/**
 * Home paths of package-manager and build-tool caches: npm's cache and logs, node-gyp headers,
 * prebuilt-binary and browser downloads. Reading them is noise; writing them is what installers do.
 */
export const TOOL_CACHE_DIRS = [
  '.npm',
  '.cache',
  '.node-gyp',
  '.cmake-js',
  '.electron-gyp',
  '.config/configstore',
];

export const inToolCache = (path: string, context: PathContext): boolean => {
  const inHome = below(path, context.home);
  return (
    inHome !== undefined && TOOL_CACHE_DIRS.some((dir) => inHome === dir || inHome.startsWith(`${dir}/`))
  );
};

export const TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];
export const inTempDir = (path: string): boolean => TEMP_DIRS.some((dir) => under(path, dir));

/**
 * A READ that says nothing about intent. `ownRoot` is the reader's own package directory (a
 * package reading its own files is not news); `pid` its own /proc entry.
 */
export const isNoiseRead = (path: string, context: PathContext, ownRoot?: string, pid?: number): boolean => {
  if (NOISE_FILES.has(path)) return true;
  if (NOISE_PREFIXES.some((prefix) => path.startsWith(prefix))) return true;
  if (pid !== undefined && under(path, `/proc/${pid}`)) return true;
  if (ownRoot && under(path, ownRoot)) return true;
  // node_modules at large: module resolution reads dependencies' package.json and code.
  if (under(path, `${context.project}/node_modules`) && !path.endsWith('/.npmrc')) return true;
  if (path === `${context.project}/package.json` || path === `${context.project}/package-lock.json`)
    return true;
  if (inToolCache(path, context)) return true;
  return false;
};

const NOISE_WRITE_PREFIXES = ['/proc/self/', '/proc/thread-self/', '/dev/pts/', '/dev/fd/'];
const NOISE_WRITE_FILES = new Set(['/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/console']);

/** A WRITE that says nothing: devices (`> /dev/null`), standard streams and the process's own /proc entries. */
export const isNoiseWrite = (path: string, pid?: number): boolean =>
  NOISE_FILES.has(path) ||
  NOISE_WRITE_FILES.has(path) ||
  NOISE_WRITE_PREFIXES.some((prefix) => path.startsWith(prefix)) ||
  (pid !== undefined && under(path, `/proc/${pid}`));

/** The read-only system tree: a failed write there is a runtime caching bytecode (`__pycache__`), not an attack. */
export const isSystemPath = (path: string): boolean => /^\/(?:usr|lib|lib32|lib64|bin|sbin|opt)\//.test(path);

export const isUnder = under;
