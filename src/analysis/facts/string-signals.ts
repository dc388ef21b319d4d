import { isIPv6 } from 'node:net';
import type { AddressRange } from '../types.js';

/**
 * What a (decoded) string says: URLs, IP addresses, sensitive paths, shell commands, encoded blobs
 * and names of sensitive modules. Pure and linear; every regex is bounded or anchored so hostile
 * strings cannot make it backtrack.
 */

export type UrlSignal = { value: string; host: string; range?: AddressRange };
export type IpSignal = { value: string; port?: number; range?: AddressRange };
export type PathSignal = { value: string; category: string };

export type StringSignals = {
  urls: UrlSignal[];
  ips: IpSignal[];
  paths: PathSignal[];
  command: boolean;
  blob: boolean;
  sensitiveName: boolean;
};

/** Longest string scanned for signals; the rest of a multi-MB literal is not examined. */
const SCAN_LIMIT = 256 * 1024;
const MAX_PER_STRING = 50;

const URL_RE = /\b(?:https?|wss?|ftp|stratum\+tcp|stratum\+ssl):\/\/[^\s'"`<>\\^{}|]{1,2000}/gi;
const IPV4_RE = /(?<![\w.])((?:\d{1,3}\.){3}\d{1,3})(?::(\d{1,5}))?(?![\w.])/g;
const IPV6_CANDIDATE = /(?<![\w:.])\[?([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\]?(?::(\d{1,5}))?(?![\w:])/gi;

export const PATH_CATEGORIES: readonly [string, RegExp][] = [
  [
    'ssh',
    /(?:^|[\\/~])\.ssh(?:[\\/]|$)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\bauthorized_keys\b|\bknown_hosts\b/i,
  ],
  ['npmrc', /(?:^|[\\/~])\.npmrc\b|\.yarnrc(?:\.yml)?\b/i],
  ['aws-credentials', /(?:^|[\\/~])\.aws(?:[\\/](?:credentials|config)|$)/i],
  ['gcloud-credentials', /\.config[\\/]gcloud\b|application_default_credentials\.json/i],
  ['azure-credentials', /(?:^|[\\/~])\.azure(?:[\\/]|$)/i],
  ['git-credentials', /\.git-credentials\b/i],
  ['docker-config', /\.docker[\\/]config\.json/i],
  ['kubernetes', /(?:^|[\\/~])\.kube[\\/]config\b|\/var\/run\/secrets\/kubernetes\.io/i],
  ['shell-history', /\.(?:bash|zsh|sh|python|node_repl|psql|mysql)_history\b/i],
  ['dotenv', /(?:^|[\\/])\.env(?:\.[\w-]+)?$/i],
  [
    'browser-profile',
    /\bLogin Data\b|Local Extension Settings|Google[\\/]Chrome[\\/]|BraveSoftware[\\/]|Firefox[\\/]Profiles|Microsoft[\\/]Edge[\\/]User Data|\bUser Data[\\/]Default\b/i,
  ],
  [
    'crypto-wallet',
    /solana[\\/]id\.json|exodus\.wallet|Exodus[\\/]exodus|(?:^|[\\/~])\.electrum\b|nkbihfbeogaeaoehlefnkodbefgpgknn|ejbalbakoplchlghecdalmeeeajnimhm|bfnaelmomeimhlpmgjnjophhpkkoljpa|\bwallet\.dat\b|\.ethereum[\\/]keystore|Library[\\/]Keychains/i,
  ],
  ['system-accounts', /\/etc\/(?:passwd|shadow|sudoers)\b/],
  ['systemd-user', /systemd[\\/]user\b/i],
  ['crontab', /\bcrontab\b|\/var\/spool\/cron\b|\/etc\/cron\./i],
  [
    'shell-rc',
    /(?:^|[\\/~])\.(?:bashrc|zshrc|bash_profile|zprofile|profile|bash_login)$|(?:^|[\\/~])\.(?:bashrc|zshrc|bash_profile|zprofile)\b/i,
  ],
  ['launch-agents', /Library[\\/]Launch(?:Agents|Daemons)/i],
  ['ci-workflows', /\.github[\\/]workflows\b/i],
  [
    'ai-agent-config',
    /(?:^|[\\/~])\.(?:claude|cursor|gemini|codex|windsurf)(?:[\\/]|\.json\b|$)|\.vscode[\\/](?:tasks|settings)\.json|\.cursorrules\b/i,
  ],
  ['windows-startup', /Start Menu[\\/]Programs[\\/]Startup|CurrentVersion[\\/]Run\b/i],
];

/** The categories above that hold secrets worth stealing, unlike `.env` files, shell rc files or cron. */
export const CREDENTIAL_PATH_CATEGORIES: ReadonlySet<string> = new Set([
  'ssh',
  'npmrc',
  'aws-credentials',
  'gcloud-credentials',
  'azure-credentials',
  'git-credentials',
  'docker-config',
  'kubernetes',
  'shell-history',
  'browser-profile',
  'crypto-wallet',
]);

// Matches whenever one of the categories does (their union, case-folded): one scan rules out most
// strings instead of twenty.
const ANY_PATH = new RegExp(PATH_CATEGORIES.map(([, re]) => re.source).join('|'), 'i');

// A shell command: a tool that needs an argument, followed by one shaped like an option, URL, path,
// mode or quote (so "curl up with a book" is prose), or a command that is one on its own.
const COMMAND_WITH_ARGUMENT =
  /(?:^|[\s;&|(`'"])(?:curl|wget|bash|sh|zsh|powershell(?:\.exe)?|pwsh|cmd(?:\.exe)?|chmod|chown|rm|nc|ncat|certutil(?:\.exe)?|bitsadmin|Invoke-WebRequest|iex|systemctl|crontab|launchctl|schtasks|reg|rundll32|regsvr32|mshta|osascript|nohup|sudo|shutdown|shred|uname)[ \t]+(?:-{1,2}\w|\/|~|\$|https?:|\+x|[0-7]{3,4}\b|['"]|[A-Z]:\\)/i;
const COMMAND_ALONE =
  /(?:^|[\s;&|(`'"])(?:whoami|xmrig|trufflehog|npm (?:publish|whoami|token|adduser)|gh (?:repo|auth|api)|git (?:push|config --global))(?=[\s;&|)'"]|$)|\|\s*(?:ba|z)?sh\b/;

const SENSITIVE_NAMES = new Set([
  'child_process',
  'node:child_process',
  'net',
  'dgram',
  'dns',
  'tls',
  'http',
  'https',
  'vm',
  'worker_threads',
  'module',
  'require',
  'eval',
  'Function',
  'exec',
  'execSync',
  'spawn',
  'fromCharCode',
  'constructor',
]);

export const isSensitiveName = (value: string): boolean => SENSITIVE_NAMES.has(value);

const BASE64_BLOB = /^[A-Za-z0-9+/_-]{64,}={0,2}$/;
// Hex payloads, not the 64-character digests (integrity checks) benign code carries.
const HEX_BLOB = /^(?:[0-9a-fA-F]{2}){64,}$/;

export const looksEncoded = (value: string): boolean =>
  value.length >= 64 &&
  (HEX_BLOB.test(value) ||
    (BASE64_BLOB.test(value) && /\d/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)));

export const classifyString = (input: string): StringSignals => {
  const value = input.length > SCAN_LIMIT ? input.slice(0, SCAN_LIMIT) : input;
  const urls: UrlSignal[] = [];
  const ips: IpSignal[] = [];
  const paths: PathSignal[] = [];
  const hasScheme = value.includes('://');
  if (hasScheme) {
    for (const match of value.matchAll(URL_RE)) {
      if (urls.length >= MAX_PER_STRING) break;
      const url = urlSignal(match[0]);
      if (url) urls.push(url);
    }
  }
  if (/\d\.\d/.test(value)) {
    for (const match of value.matchAll(IPV4_RE)) {
      if (ips.length >= MAX_PER_STRING) break;
      const ip = match[1] ?? '';
      if (!validIpv4(ip)) continue;
      const port = match[2] === undefined ? undefined : Number(match[2]);
      ips.push(withPort({ value: ip, ...optionalRange(ipv4Range(ip)) }, port));
    }
  }
  if (value.includes('::') || /[0-9a-f]:[0-9a-f]{1,4}:[0-9a-f]/i.test(value)) {
    for (const match of value.matchAll(IPV6_CANDIDATE)) {
      if (ips.length >= MAX_PER_STRING) break;
      const ip = match[1] ?? '';
      if (!ip.includes(':') || ip.length < 2 || !isIPv6(ip)) continue;
      const port = match[0].startsWith('[') && match[2] !== undefined ? Number(match[2]) : undefined;
      ips.push(withPort({ value: ip, ...optionalRange(ipv6Range(ip)) }, port));
    }
  }
  // Paths are short and on one line; a long message that mentions `.npmrc` is not one.
  if (value.length <= 512 && !value.includes('\n') && ANY_PATH.test(value)) {
    for (const [category, re] of PATH_CATEGORIES) {
      if (re.test(value)) paths.push({ value, category });
    }
  }
  return {
    urls,
    ips,
    paths,
    command:
      value.length <= 4096 &&
      /\s/.test(value) &&
      (COMMAND_WITH_ARGUMENT.test(value) || COMMAND_ALONE.test(value)),
    blob: looksEncoded(value),
    sensitiveName: isSensitiveName(value),
  };
};

const withPort = (ip: IpSignal, port: number | undefined): IpSignal =>
  port !== undefined && port > 0 && port < 65536 ? { ...ip, port } : ip;

const optionalRange = (range: AddressRange | undefined): { range?: AddressRange } =>
  range === undefined ? {} : { range };

const urlSignal = (text: string): UrlSignal | undefined => {
  const trimmed = text.replace(/[.,;:)\]]+$/, '');
  let host: string;
  try {
    host = new URL(trimmed).hostname;
  } catch {
    const m = /^[a-z+]+:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(trimmed);
    host = m?.[1] ?? '';
  }
  if (host === '') return undefined;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const range = hostRange(bare);
  return {
    value: trimmed.length > 1000 ? `${trimmed.slice(0, 999)}…` : trimmed,
    host: bare,
    ...optionalRange(range),
  };
};

/** Where a host (name, IPv4 or bracket-less IPv6) points when it is not the public internet. */
export const hostRange = (host: string): AddressRange | undefined =>
  validIpv4(host) ? ipv4Range(host) : isIPv6(host) ? ipv6Range(host) : nameRange(host);

const validIpv4 = (ip: string): boolean => {
  const parts = ip.split('.');
  return (
    parts.length === 4 &&
    parts.every((p) => p !== '' && Number(p) <= 255 && !(p.length > 1 && p.startsWith('0')))
  );
};

export const ipv4Range = (ip: string): AddressRange | undefined => {
  const [a = 0, b = 0, c = 0] = ip.split('.').map(Number);
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'documentation';
  }
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  return undefined;
};

export const ipv6Range = (ip: string): AddressRange | undefined => {
  const lower = ip.toLowerCase();
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'unspecified';
  if (lower.startsWith('2001:db8:') || lower === '2001:db8::') return 'documentation';
  if (/^f[cd][0-9a-f]{2}:/.test(lower)) return 'private';
  if (/^fe[89ab][0-9a-f]:/.test(lower)) return 'link-local';
  return undefined;
};

const nameRange = (host: string): AddressRange | undefined => {
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost')) return 'loopback';
  if (/(?:^|\.)(?:invalid|test|example)$/.test(lower) || /(?:^|\.)example\.(?:com|net|org)$/.test(lower)) {
    return 'reserved-name';
  }
  return undefined;
};
