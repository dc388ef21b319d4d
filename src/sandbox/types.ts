/**
 * Contracts between the parts of `bulwark sandbox`: the sinkhole (what reached the fake network),
 * the trace (what the processes did, from strace), the honeytokens (bait planted in the fake home)
 * and the behaviour report built from all three. Nothing here does I/O.
 */

// ── Sinkhole: the only "network" a sandboxed package can reach ───────────────────────────────────

/** One line of JSON the sinkhole process prints on stdout. `at` is epoch milliseconds. */
export type SinkholeEvent =
  | { type: 'ready'; dnsPort: number; tcpPort: number; udpPort: number }
  | {
      type: 'dns';
      at: number;
      transport: 'udp' | 'tcp';
      /** Source port of the query, to look up its original destination (the resolver it was sent to). */
      clientPort: number;
      name: string;
      /** `A`, `AAAA`, `TXT`, … or the number when unknown. */
      qtype: string;
      /** The address the sinkhole answered with (A queries only). */
      answer?: string;
    }
  | {
      type: 'tcp';
      at: number;
      clientPort: number;
      /** What the first bytes were: a TLS ClientHello, an HTTP request, other bytes, or nothing. */
      protocol: 'tls' | 'http' | 'raw' | 'none';
      /** TLS server name from the ClientHello. */
      sni?: string;
      http?: {
        method: string;
        /** Request target as sent (path and query). */
        target: string;
        host?: string;
        /** Lower-cased header names; repeated headers joined with ", ". */
        headers: Record<string, string>;
      };
      /** Bytes received in total (may exceed what is kept in `data`). */
      bytes: number;
      /** First bytes received (headers and body for HTTP), base64, at most 64 KiB. */
      data: string;
      /**
       * TLS was terminated with the run's CA: `http`, `bytes` and `data` describe the decrypted
       * stream. Absent when the client rejected the certificate (or no CA was given).
       */
      intercepted?: true;
    }
  | { type: 'udp'; at: number; clientPort: number; bytes: number; data: string };

/** Original destination of a redirected flow, read back from the netns's nftables sets. */
export type SinkholeFlow = {
  protocol: 'tcp' | 'udp';
  /** Source port inside the sandbox (matches `clientPort` of a sinkhole event). */
  sourcePort: number;
  address: string;
  port: number;
};

// ── Trace: what the processes did (parsed from `strace -f`) ─────────────────────────────────────

/** A syscall's outcome: the return value, or the errno name (`ENOENT`) when it failed. */
export type SyscallResult = { ok: true; value: number } | { ok: false; errno: string };

export type TracedExec = {
  at: number;
  /** Thread that called execve (becomes the process's only thread). */
  tid: number;
  path: string;
  argv: string[];
  /** The environment passed to execve (`KEY=value` split), values possibly truncated by strace. */
  env: Record<string, string>;
  result: SyscallResult;
};

/** A process (thread group). Threads are folded into their process. */
export type TracedProcess = {
  /** Thread group id as seen by strace (host pid namespace). */
  pid: number;
  /** The process that forked this one; absent for the traced root. */
  parent?: number;
  startedAt: number;
  /** Successful and failed execve calls in order; the last successful one is what ran. */
  execs: TracedExec[];
  exitedAt?: number;
  /** Exit status, or the signal name when killed. */
  exit?: number | string;
};

export type FileAccess = 'read' | 'write' | 'read-write';

export type TraceEvent =
  | {
      kind: 'open';
      pid: number;
      tid: number;
      at: number;
      /** Absolute path (resolved against the cwd / dirfd strace printed), as the process asked for it. */
      path: string;
      /** The file really opened when it differs (through a symlink, `/proc/self/root/…`). */
      realPath?: string;
      access: FileAccess;
      /** O_CREAT, O_TRUNC, O_APPEND, O_DIRECTORY, … as printed. */
      flags: string[];
      result: SyscallResult;
    }
  | {
      kind: 'unlink';
      pid: number;
      tid: number;
      at: number;
      path: string;
      directory: boolean;
      result: SyscallResult;
    }
  | { kind: 'rename'; pid: number; tid: number; at: number; from: string; to: string; result: SyscallResult }
  | { kind: 'mkdir'; pid: number; tid: number; at: number; path: string; result: SyscallResult }
  | { kind: 'chmod'; pid: number; tid: number; at: number; path: string; mode: number; result: SyscallResult }
  | {
      kind: 'link';
      pid: number;
      tid: number;
      at: number;
      from: string;
      to: string;
      symbolic: boolean;
      result: SyscallResult;
    }
  | {
      kind: 'connect';
      pid: number;
      tid: number;
      at: number;
      family: 'inet' | 'inet6' | 'unix' | 'other';
      /** IP address (inet/inet6) or socket path (unix). */
      address: string;
      port?: number;
      /** `tcp` / `udp` when strace's `-yy` socket annotation tells. */
      transport?: 'tcp' | 'udp';
      /** EINPROGRESS counts as ok: a non-blocking connect that went on. */
      result: SyscallResult;
    }
  | {
      kind: 'send';
      pid: number;
      tid: number;
      at: number;
      /** Destination when the call names one (sendto/sendmsg on an unconnected UDP socket). */
      address?: string;
      port?: number;
      bytes: number;
      result: SyscallResult;
    };

export type TraceLog = {
  processes: Map<number, TracedProcess>;
  /** In log order. */
  events: TraceEvent[];
  /** Events dropped after the parser's limits (a package spamming syscalls). */
  dropped: number;
  /** Lines the parser did not understand (kept few, for debugging). */
  unparsed: string[];
};

// ── Honeytokens: per-run bait ───────────────────────────────────────────────────────────────────

export type HoneytokenKind =
  | 'npm-token'
  | 'github-token'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'gcp-credentials'
  | 'azure-credentials'
  | 'docker-auth'
  | 'git-credentials'
  | 'ssh-private-key'
  | 'dotenv-secret'
  | 'slack-webhook'
  | 'shell-history-secret'
  | 'browser-profile'
  | 'crypto-wallet';

export type Honeytoken = {
  /** Stable within a run, e.g. `npm-token`, `aws-secret-key`. */
  id: string;
  kind: HoneytokenKind;
  /** The secret to look for at the sinkhole (the whole token, or a distinctive part of a key). */
  value: string;
  /** Sandbox paths (absolute, inside the sandbox) of files holding it. */
  files: string[];
  /** Environment variables holding it. */
  env: string[];
};

/** Everything to plant for one run. Paths are absolute inside the sandbox. */
export type HoneytokenPlan = {
  tokens: Honeytoken[];
  files: Array<{ path: string; content: string | Uint8Array; mode: number }>;
  /** Secret-looking variables to add to the sandbox environment. */
  env: Record<string, string>;
  /** Bait paths that hold no token but should never be touched (browser profiles, wallets). */
  baitPaths: string[];
};

/** Where a honeytoken value was seen leaving. */
export type HoneytokenEgress = {
  token: string;
  encoding: 'raw' | 'base64' | 'base64url' | 'hex' | 'url' | 'reversed' | 'base32' | 'gzip';
  channel: 'dns' | 'http' | 'tls' | 'tcp' | 'udp';
  /** Host name, SNI or address the data went to. */
  destination: string;
};

// ── One sandbox run (what the isolation layer hands to the report builder) ──────────────────────

export type PhaseName = 'install' | 'import' | 'execute';

/** What the supervisor inside the sandbox says about one phase. */
export type PhaseOutcome = {
  name: PhaseName;
  status: 'ok' | 'failed' | 'time-limit' | 'skipped';
  /** Host pid (strace's view) of the phase's top process: the package manager or the loader. */
  pid?: number;
  startedAt: number;
  endedAt: number;
  exitCode?: number;
  signal?: string;
  /** Last bytes of the phase's output (escaped later for display), at most 8 KiB each. */
  stdout: string;
  stderr: string;
  /** Processes still alive after the phase ended that were killed after the linger time. */
  lingering: number;
  /** Why it was skipped or failed, when known (install failed → later phases skipped). */
  note?: string;
};

export type RunName = 'default' | 'ci';

/** Everything one isolated run recorded. Paths in the trace are sandbox paths. */
export type RunRecord = {
  name: RunName;
  identity: { user: string; hostname: string; home: string; project: string };
  /** Where the target package lands inside the sandbox (`<project>/node_modules/<name>`). */
  packageDir: string;
  packageName: string;
  /** Host pid of the supervisor (root of every phase). */
  supervisorPid?: number;
  phases: PhaseOutcome[];
  trace: TraceLog;
  sinkhole: SinkholeEvent[];
  flows: SinkholeFlow[];
  honeytokens: HoneytokenPlan;
  /** The resolver address the sandbox's /etc/resolv.conf names (queries elsewhere are hard-coded resolvers). */
  resolver: string;
  /** The first address the sinkhole's DNS hands out; answers are in 198.18.0.0/15. */
  durationMs: number;
};

// ── The behaviour report (`bulwark sandbox --format json`) ──────────────────────────────────────

export type Severity4 = 'critical' | 'high' | 'medium' | 'low';

/** Who did something: the package manager itself is never the package. */
export type Actor = {
  run: RunName;
  phase: PhaseName;
  pid: number;
  /** argv of the process's last exec. */
  command: string[];
  /** The package whose script or code this process runs (npm_package_name of its lifecycle script, or the target for import/execute). */
  package?: string;
  /** `preinstall`, `install`, `postinstall`, … for lifecycle scripts. */
  script?: string;
};

export type SandboxFinding = {
  rule: string;
  kind: 'threat' | 'capability';
  severity: Severity4;
  confidence: 'high' | 'medium' | 'low';
  message: string;
  /** Short human-checkable lines: the path, the command, the destination, the token id. */
  evidence: string[];
  actor?: Actor;
};

export type NetworkAttempt = {
  protocol: 'tcp' | 'udp' | 'dns';
  /** Host name where known: the DNS name behind a sinkhole address, the SNI or the Host header. */
  host?: string;
  /** The address the package tried (a literal IP, or the sinkhole address its lookup returned). */
  address?: string;
  port?: number;
  /** A literal IP the package used without a lookup. */
  literalIp?: boolean;
  sni?: string;
  http?: { method: string; target: string; host?: string };
  /** Bytes the sinkhole received. */
  bytesSent: number;
  /** The first characters sent (decrypted for intercepted TLS), non-printable bytes as `.`. */
  preview?: string;
  /** TLS the sinkhole decrypted with the run's CA. */
  intercepted?: boolean;
  /** For DNS: the resolver the query was sent to (hard-coded when not the system one). */
  resolver?: string;
  actor?: Actor;
};

export type FileActivity = {
  path: string;
  operations: Array<'read' | 'write' | 'create' | 'delete' | 'rename' | 'chmod' | 'exec' | 'mkdir' | 'link'>;
  /** Why the path matters: `ssh`, `npmrc`, `shell-history`, `cloud-credentials`, `browser-profile`, `wallet`, `git-credentials`, `env-file`, … */
  sensitive?: string;
  /** The honeytoken the file holds. */
  honeytoken?: string;
  /** `systemd-user`, `crontab`, `shell-rc`, `launch-agent`, `autostart`, `ci-workflow`, `editor-config`, `ai-agent-config`, `other-package`, `git-hooks`. */
  persistence?: string;
  /** Written outside the package's own directory and the temp dirs. */
  outsidePackage?: boolean;
  actor?: Actor;
};

export type SandboxVerdict = 'malicious' | 'suspicious' | 'clean';

export type SandboxReport = {
  package: { name?: string; version?: string; integrity?: string; source: string };
  verdict: SandboxVerdict;
  /** 0 (nothing) to 10 (certain malware), on the same scale as `bulwark inspect`. */
  score: number;
  findings: SandboxFinding[];
  network: NetworkAttempt[];
  files: FileActivity[];
  dns: Array<{ name: string; type: string; resolver?: string; hardCodedResolver: boolean; actor?: Actor }>;
  processes: Array<{
    run: RunName;
    phase?: PhaseName;
    pid: number;
    parent?: number;
    command: string[];
    package?: string;
    script?: string;
    exit?: number | string;
    ofPackage: boolean;
  }>;
  honeytokens: {
    read: Array<{ token: string; path: string; actor?: Actor }>;
    exfiltrated: Array<HoneytokenEgress & { run: RunName }>;
  };
  runs: Array<{ name: RunName; user: string; hostname: string; phases: PhaseOutcome[]; durationMs: number }>;
  sandbox: {
    mode: 'bubblewrap' | 'gvisor';
    durationMs: number;
    /** Every namespace, process and temporary directory was removed. */
    cleanedUp: boolean;
    limits: { installMs: number; importMs: number; executeMs: number; lingerMs: number };
  };
};
