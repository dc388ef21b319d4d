/**
 * Hand-built RunRecords for the report and rule tests: a realistic sandbox (supervisor → npm →
 * `sh -c` lifecycle scripts; node loader for import), fake honeytokens, defanged addresses
 * (documentation IPs, `.invalid` hosts). Nothing here runs anything.
 */
import type {
  Honeytoken,
  PhaseName,
  RunName,
  RunRecord,
  SinkholeEvent,
  SinkholeFlow,
  TraceEvent,
  TracedProcess,
} from '../../types.js';

export const USER = 'dana';
export const HOME = '/home/dana';
export const PROJECT = '/home/dana/webapp';
export const PACKAGE = 'left-padder';
export const PACKAGE_DIR = `${PROJECT}/node_modules/${PACKAGE}`;
export const RESOLVER = '10.255.0.1';
export const T0 = 1_764_380_000_000;

export const SUPERVISOR = 4100;
export const NPM = 4101;
export const LOADER = 4300;

export const TOKENS: Honeytoken[] = [
  {
    id: 'npm-token',
    kind: 'npm-token',
    value: 'npm_FIXTUREq8Zr2mXw9TkLp4VbN7sQe1HcYd0J',
    files: [`${HOME}/.npmrc`],
    env: ['NPM_TOKEN'],
  },
  {
    id: 'ssh-private-key',
    kind: 'ssh-private-key',
    value: 'b3BlbnNzaC1rZXktdjEFIXTUREAAAABG5vbmUAAAAEbm9uZQ',
    files: [`${HOME}/.ssh/id_rsa`],
    env: [],
  },
  {
    id: 'shell-history-secret',
    kind: 'shell-history-secret',
    value: 'sk_live_FIXTURE51HxQpLmTz',
    files: [`${HOME}/.bash_history`],
    env: [],
  },
  {
    id: 'aws-secret-key',
    kind: 'aws-secret-key',
    value: 'FIXTUREwJalrXUtnFEMIK7MDENGbPxRfiCYzq',
    files: [`${HOME}/.aws/credentials`],
    env: ['AWS_SECRET_ACCESS_KEY'],
  },
  {
    id: 'github-token',
    kind: 'github-token',
    value: 'ghp_FIXTUREa1B2c3D4e5F6g7H8i9J0kLmNoPq',
    files: [],
    env: ['GITHUB_TOKEN'],
  },
  {
    id: 'dotenv-secret',
    kind: 'dotenv-secret',
    value: 'FIXTUREdbPassw0rd9x8y7',
    files: [`${PROJECT}/.env`],
    env: [],
  },
];

type Options = { at?: number; errno?: string };
const result = (options: Options | undefined, value = 3) =>
  options?.errno ? ({ ok: false, errno: options.errno } as const) : ({ ok: true, value } as const);

export type RunBuilder = ReturnType<typeof runBuilder>;

/**
 * A run with the supervisor, an install phase (npm, pid NPM) and an import phase (node loader,
 * pid LOADER). npm reads ~/.npmrc itself, as the real one does.
 */
export const runBuilder = (name: RunName = 'default') => {
  const processes = new Map<number, TracedProcess>();
  const events: TraceEvent[] = [];
  const sinkhole: SinkholeEvent[] = [];
  const flows: SinkholeFlow[] = [];
  let clock = T0;
  let nextPort = 40000;
  let nextAnswer = 2;
  const tick = (at?: number): number => {
    clock = at ?? clock + 10;
    return clock;
  };

  const proc = (
    pid: number,
    parent: number | undefined,
    argv: string[],
    options: { env?: Record<string, string>; path?: string; at?: number; errno?: string; exit?: number | string } = {},
  ) => {
    const at = tick(options.at);
    const process: TracedProcess = {
      pid,
      startedAt: at,
      execs: [
        {
          at,
          tid: pid,
          path: options.path ?? (argv[0]?.startsWith('/') ? argv[0] : `/usr/bin/${argv[0]}`),
          argv,
          env: options.env ?? { HOME, USER, PATH: '/usr/local/bin:/usr/bin:/bin' },
          result: result(options),
        },
      ],
      exit: options.exit ?? 0,
    };
    if (parent !== undefined) process.parent = parent;
    processes.set(pid, process);
    return builder;
  };

  /** A fork without exec (node's worker, a shell subshell). */
  const fork = (pid: number, parent: number) => {
    processes.set(pid, { pid, parent, startedAt: tick(), execs: [] });
    return builder;
  };

  /** A lifecycle script as npm runs it: `sh -c <command>` with npm's script environment. */
  const script = (pid: number, command: string, options: { event?: string; pkg?: string; parent?: number } = {}) => {
    const pkg = options.pkg ?? PACKAGE;
    const dir = `${PROJECT}/node_modules/${pkg}`;
    return proc(pid, options.parent ?? NPM, ['sh', '-c', command], {
      path: '/bin/sh',
      env: {
        HOME,
        PATH: `${dir}/node_modules/.bin:${PROJECT}/node_modules/.bin:/usr/bin:/bin`,
        npm_lifecycle_event: options.event ?? 'postinstall',
        npm_lifecycle_script: command,
        npm_package_name: pkg,
        npm_package_version: '1.0.0',
        npm_package_json: `${dir}/package.json`,
        INIT_CWD: PROJECT,
      },
    });
  };

  const open = (
    pid: number,
    path: string,
    access: 'read' | 'write' | 'read-write' = 'read',
    options: Options & { flags?: string[] } = {},
  ) => {
    const flags = options.flags ?? (access === 'read' ? ['O_RDONLY', 'O_CLOEXEC'] : ['O_WRONLY', 'O_CREAT', 'O_TRUNC', 'O_CLOEXEC']);
    events.push({ kind: 'open', pid, tid: pid, at: tick(options.at), path, access, flags, result: result(options) });
    return builder;
  };
  const write = (pid: number, path: string, options: Options = {}) => open(pid, path, 'write', options);
  const chmod = (pid: number, path: string, mode: number, options: Options = {}) => {
    events.push({ kind: 'chmod', pid, tid: pid, at: tick(options.at), path, mode, result: result(options, 0) });
    return builder;
  };
  const mkdir = (pid: number, path: string, options: Options = {}) => {
    events.push({ kind: 'mkdir', pid, tid: pid, at: tick(options.at), path, result: result(options, 0) });
    return builder;
  };
  const rename = (pid: number, from: string, to: string, options: Options = {}) => {
    events.push({ kind: 'rename', pid, tid: pid, at: tick(options.at), from, to, result: result(options, 0) });
    return builder;
  };
  const connect = (
    pid: number,
    address: string,
    port: number,
    options: Options & { transport?: 'tcp' | 'udp' } = {},
  ) => {
    events.push({
      kind: 'connect',
      pid,
      tid: pid,
      at: tick(options.at),
      family: address.includes(':') ? 'inet6' : 'inet',
      address,
      port,
      transport: options.transport ?? 'tcp',
      result: options.errno ? { ok: false, errno: options.errno } : { ok: false, errno: 'EINPROGRESS' },
    });
    return builder;
  };

  /**
   * A lookup by `pid`: its UDP connect to the resolver, the sinkhole's answer and the flow.
   * Returns the sinkhole address handed out, via `lastAnswer`.
   */
  let lastAnswer = '';
  const lookup = (pid: number | undefined, hostname: string, options: { resolver?: string; qtype?: string } = {}) => {
    const resolver = options.resolver ?? RESOLVER;
    const clientPort = nextPort++;
    if (pid !== undefined) connect(pid, resolver, 53, { transport: 'udp' });
    const qtype = options.qtype ?? 'A';
    const answer = qtype === 'A' ? `198.18.0.${nextAnswer++}` : undefined;
    sinkhole.push({ type: 'dns', at: tick(), transport: 'udp', clientPort, name: hostname, qtype, ...(answer ? { answer } : {}) });
    flows.push({ protocol: 'udp', sourcePort: clientPort, address: resolver, port: 53 });
    if (answer) lastAnswer = answer;
    return builder;
  };

  /** A TCP connection by `pid` to address:port that reached the sinkhole with `payload`. */
  const tcp = (
    pid: number | undefined,
    address: string,
    port: number,
    payload: {
      protocol?: 'tls' | 'http' | 'raw' | 'none';
      sni?: string;
      http?: { method: string; target: string; host?: string; headers?: Record<string, string> };
      data?: string;
    } = {},
  ) => {
    const clientPort = nextPort++;
    if (pid !== undefined) connect(pid, address, port);
    const data = Buffer.from(payload.data ?? '').toString('base64');
    const event: SinkholeEvent = {
      type: 'tcp',
      at: tick(),
      clientPort,
      protocol: payload.protocol ?? (payload.http ? 'http' : payload.sni ? 'tls' : 'raw'),
      bytes: Buffer.byteLength(payload.data ?? ''),
      data,
    };
    if (payload.sni) event.sni = payload.sni;
    if (payload.http) event.http = { headers: {}, ...payload.http };
    sinkhole.push(event);
    flows.push({ protocol: 'tcp', sourcePort: clientPort, address, port });
    return builder;
  };

  const phase = (phaseName: PhaseName, pid: number, startedAt: number, endedAt: number, lingering = 0) => {
    phases.push({ name: phaseName, status: 'ok', pid, startedAt, endedAt, exitCode: 0, stdout: '', stderr: '', lingering });
    return builder;
  };
  const phases: RunRecord['phases'] = [];

  const build = (): RunRecord => ({
    name,
    identity: { user: USER, hostname: 'dana-thinkpad', home: HOME, project: PROJECT },
    packageDir: PACKAGE_DIR,
    packageName: PACKAGE,
    supervisorPid: SUPERVISOR,
    phases:
      phases.length > 0
        ? phases
        : [
            { name: 'install', status: 'ok', pid: NPM, startedAt: T0, endedAt: T0 + 60_000, exitCode: 0, stdout: '', stderr: '', lingering: 0 },
            { name: 'import', status: 'ok', pid: LOADER, startedAt: T0 + 60_000, endedAt: T0 + 90_000, exitCode: 0, stdout: '', stderr: '', lingering: 0 },
          ],
    trace: { processes, events, dropped: 0, unparsed: [] },
    sinkhole,
    flows,
    honeytokens: {
      tokens: TOKENS,
      files: [],
      env: { NPM_TOKEN: TOKENS[0]!.value, GITHUB_TOKEN: TOKENS[4]!.value },
      baitPaths: [`${HOME}/.config/google-chrome/Default/Login Data`],
    },
    resolver: RESOLVER,
    durationMs: 90_000,
  });

  const builder = {
    proc,
    fork,
    script,
    open,
    write,
    chmod,
    mkdir,
    rename,
    connect,
    lookup,
    tcp,
    phase,
    build,
    tick,
    /** The sinkhole address the last A lookup returned. */
    answer: () => lastAnswer,
    /** Starts the standard process tree: bwrap → supervisor → npm (install) and the import loader. */
    standard: () => {
      proc(4099, undefined, ['bwrap', '--unshare-user', '--', '/opt/bulwark/supervisor'], { path: '/usr/bin/bwrap', at: T0 - 100 });
      proc(SUPERVISOR, 4099, ['node', '/opt/bulwark/supervisor.js'], { path: '/usr/bin/node' });
      proc(NPM, SUPERVISOR, ['npm', 'install', '--offline', '--no-audit', '--no-fund', `${PACKAGE}@1.0.0`], {
        path: '/usr/bin/npm',
        at: T0 + 5,
      });
      // npm reads its own config and cache, and writes the package into node_modules.
      open(NPM, `${HOME}/.npmrc`);
      open(NPM, `${HOME}/.npm/_cacache/index-v5/3f/aa/0123`);
      write(NPM, `${PACKAGE_DIR}/package.json`);
      write(NPM, `${PACKAGE_DIR}/index.js`);
      return builder;
    },
    /** The import phase's loader process. */
    loader: (at = T0 + 60_000) =>
      proc(LOADER, SUPERVISOR, ['node', '/opt/bulwark/load-entry.mjs', PACKAGE], { path: '/usr/bin/node', at }),
  };
  return builder;
};
