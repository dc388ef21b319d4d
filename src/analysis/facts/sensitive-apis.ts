import type { ApiCategory } from '../types.js';

/**
 * Sensitive APIs by dotted path (`module.member`, or a global name), after alias resolution.
 * Module names are normalised first (`node:` prefix dropped, `fs/promises` → `fs`).
 */
const table = new Map<string, ApiCategory>();
const add = (category: ApiCategory, ...paths: string[]) => {
  for (const path of paths) table.set(path, category);
};

add(
  'process',
  ...['exec', 'execSync', 'spawn', 'spawnSync', 'fork', 'execFile', 'execFileSync'].map(
    (m) => `child_process.${m}`,
  ),
  'process.binding',
  'process.kill',
);
add(
  'network',
  'http.request',
  'http.get',
  'https.request',
  'https.get',
  'http2.connect',
  'net.connect',
  'net.createConnection',
  'net.Socket',
  'tls.connect',
  'dgram.createSocket',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'navigator.sendBeacon',
);
add(
  'dns',
  ...[
    'lookup',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveTxt',
    'resolveAny',
    'resolveCname',
    'reverse',
    'Resolver',
  ].map((m) => `dns.${m}`),
);
add(
  'filesystem-read',
  ...['readFile', 'readFileSync', 'createReadStream', 'readdir', 'readdirSync', 'opendir', 'opendirSync'].map(
    (m) => `fs.${m}`,
  ),
);
add(
  'filesystem-write',
  ...[
    'writeFile',
    'writeFileSync',
    'appendFile',
    'appendFileSync',
    'createWriteStream',
    'unlink',
    'unlinkSync',
    'rm',
    'rmSync',
    'rmdir',
    'rmdirSync',
    'chmod',
    'chmodSync',
    'rename',
    'renameSync',
    'copyFile',
    'copyFileSync',
    'cp',
    'cpSync',
    'symlink',
    'symlinkSync',
  ].map((m) => `fs.${m}`),
);
/** HTTP client libraries whose module is itself callable (`axios(url)`, `got(url)`, node-fetch). */
const CALLABLE_HTTP_CLIENTS = [
  'axios',
  'got',
  'node-fetch',
  'cross-fetch',
  'isomorphic-fetch',
  'request',
  'superagent',
  'needle',
  'phin',
  'ky',
];
/** Every module whose import means the code can send over HTTP or a socket. */
export const HTTP_CLIENT_MODULES: ReadonlySet<string> = new Set([
  ...CALLABLE_HTTP_CLIENTS,
  'undici',
  'form-data',
  'socket.io-client',
  'ws',
]);
// Calls of those clients and of their verb methods are network calls; instances
// (`axios.create()`) are not followed.
const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'request'];
add(
  'network',
  ...CALLABLE_HTTP_CLIENTS.flatMap((client) => [client, ...VERBS.map((verb) => `${client}.${verb}`)]),
  'undici.request',
  'undici.fetch',
  'undici.stream',
  'ws',
  'ws.WebSocket',
  'socket.io-client',
  'socket.io-client.io',
  'socket.io-client.connect',
);
add('os', 'os.homedir', 'os.userInfo', 'os.hostname', 'os.networkInterfaces');
add(
  'eval',
  'eval',
  'Function',
  'vm.runInThisContext',
  'vm.runInNewContext',
  'vm.runInContext',
  'vm.Script',
  'vm.compileFunction',
  'module._compile',
  'module.prototype._compile',
  'Module._compile',
  'Module.prototype._compile',
);
add('crypto', 'crypto.createDecipheriv', 'crypto.createDecipher', 'crypto.privateDecrypt');
add('worker', 'worker_threads.Worker', 'Worker');
add('native', 'process.dlopen');

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);

export const normaliseModule = (name: string): string => {
  const bare = name.startsWith('node:') ? name.slice(5) : name;
  if (bare === 'fs/promises') return 'fs';
  if (bare === 'dns/promises') return 'dns';
  return bare;
};

/** Category of a resolved API path; timers only count when given a string (code) to run. */
export const apiCategory = (path: string, firstArgIsString: boolean): ApiCategory | undefined => {
  const direct = table.get(path);
  if (direct) return direct;
  if (path.startsWith('fs.promises.')) return table.get(`fs.${path.slice(12)}`);
  if (path.startsWith('dns.') && path.length > 4 && !path.includes('.', 4)) return 'dns';
  if (TIMERS.has(path) && firstArgIsString) return 'eval';
  return undefined;
};

/** Paths that name `require` itself (through any alias). */
export const isRequirePath = (path: string | undefined): boolean =>
  path === 'require' ||
  path === '__require' ||
  path === 'module.require' ||
  path === 'process.mainModule.require' ||
  path === 'require.main.require';

/** Names of APIs worth reporting when seen only as tokens (files that do not parse). */
export const TOKEN_APIS = new Map<string, ApiCategory>([
  ['exec', 'process'],
  ['execSync', 'process'],
  ['spawn', 'process'],
  ['spawnSync', 'process'],
  ['execFile', 'process'],
  ['execFileSync', 'process'],
  ['fork', 'process'],
  ['eval', 'eval'],
  ['Function', 'eval'],
  ['runInThisContext', 'eval'],
  ['runInNewContext', 'eval'],
  ['_compile', 'eval'],
  ['fetch', 'network'],
  ['XMLHttpRequest', 'network'],
  ['WebSocket', 'network'],
  ['request', 'network'],
  ['createConnection', 'network'],
  ['resolveTxt', 'dns'],
  ['homedir', 'os'],
  ['userInfo', 'os'],
  ['networkInterfaces', 'os'],
  ['readFileSync', 'filesystem-read'],
  ['writeFileSync', 'filesystem-write'],
  ['appendFileSync', 'filesystem-write'],
  ['unlinkSync', 'filesystem-write'],
  ['chmodSync', 'filesystem-write'],
  ['dlopen', 'native'],
]);
