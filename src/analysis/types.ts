/**
 * The contract between fact extraction and detector rules (the "read the code" capability).
 * Extraction turns a package's files and manifest into facts; rules turn facts into findings;
 * scoring turns findings into a verdict. Nothing here does I/O.
 */
import type { Severity } from '../core/severity.js';
import type { TarballProblem } from '../tarball/types.js';
import type { MetadataSignal } from './manifest/metadata-signals.js';

/** A place in a package, 1-based, with a short escaped excerpt of the source line. */
export type Location = { file: string; line: number; column: number; excerpt?: string };

/** Sensitive APIs a call or import can reach, named by what they give the code. */
export type ApiCategory =
  | 'process' // child_process exec/spawn/fork, process.binding
  | 'network' // http(s), net, tls, dgram, fetch, WebSocket, XMLHttpRequest
  | 'dns'
  | 'filesystem-read'
  | 'filesystem-write'
  | 'os' // os.homedir, userInfo, hostname, networkInterfaces
  | 'env' // process.env
  | 'eval' // eval, Function, vm.*, Module._compile, setTimeout(string)
  | 'crypto'
  | 'worker'
  | 'native'; // process.dlopen, .node binaries

/**
 * Where an address points when it is not the public internet, so rules can ignore test and local
 * destinations: loopback, RFC 5737 documentation IPs, RFC 1918/4193 private, link-local (which holds
 * cloud metadata, 169.254.169.254: not to be ignored), unspecified (0.0.0.0, ::), and reserved names
 * (.invalid, .test, .example, .localhost, localhost). Absent: public.
 */
export type AddressRange =
  | 'loopback'
  | 'documentation'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'reserved-name';

/** One fact from a JavaScript file. `value` holds the decoded/folded string where there is one. */
export type CodeFact =
  | { kind: 'import'; module: string; dynamic: boolean; computed: boolean; at: Location }
  | { kind: 'call'; api: string; category: ApiCategory; args: string[]; at: Location }
  | {
      kind: 'string';
      value: string;
      decodedFrom?: 'concat' | 'hex' | 'unicode' | 'base64' | 'charcode' | 'reverse';
      at: Location;
    }
  | { kind: 'url'; value: string; host: string; range?: AddressRange; at: Location }
  | { kind: 'ip'; value: string; port?: number; range?: AddressRange; at: Location }
  | { kind: 'sensitive-path'; value: string; category: string; at: Location }
  | { kind: 'env-read'; key: string | '*'; at: Location }
  | { kind: 'obfuscation'; signal: string; detail: string; at: Location }
  | {
      kind: 'unicode';
      signal: 'invisible' | 'bidi' | 'variation-selector' | 'private-use';
      count: number;
      at: Location;
    }
  | { kind: 'flow'; from: CodeFact; to: CodeFact; at: Location }
  /**
   * A code shape a rule cares about that is neither a call nor a string: a global API replaced, a
   * long timer, an unbounded loop, the package deleting its own file. Named by the shape detector
   * that saw it (`src/analysis/facts/shapes/`); `detail` is a short human-readable description.
   */
  | { kind: 'shape'; shape: string; detail: string; at: Location };

/** Per-file statistics that make a file a signal in itself. */
export type FileStats = {
  file: string;
  bytes: number;
  lines: number;
  maxLineLength: number;
  /** Shannon entropy of the text, bits per character. */
  entropy: number;
  parsed: boolean;
  /** Why the file did not parse, when it did not. */
  parseError?: string;
  minified: boolean;
  /** The per-file fact cap or the walk budget was reached: facts are a prefix. */
  factsTruncated?: boolean;
  binary?: 'elf' | 'pe' | 'mach-o' | 'wasm' | 'other';
};

/** What a package's manifest and registry metadata say. */
export type ManifestFacts = {
  name: string;
  version: string;
  /** Lifecycle scripts that run at install: preinstall, install, postinstall, prepare. */
  installScripts: Record<string, string>;
  /** `binding.gyp` present (npm runs node-gyp at install), with any `<!(` command expansions. */
  bindingGyp?: { commands: string[] };
  /** Dependencies whose specifier bypasses the registry (git, http(s), file:). */
  remoteDependencies: { name: string; spec: string }[];
  bin: Record<string, string>;
  main?: string;
  repository?: string;
};

export type PackageFacts = {
  manifest: ManifestFacts;
  files: FileStats[];
  code: CodeFact[];
  /**
   * Registry-metadata signals (manifest confusion, security holding, version jump, typosquat, …).
   * Absent when neither a registry document nor a package.json was available; registry-only
   * signals need the packument.
   */
  metadata?: MetadataSignal[];
  /** What the tarball reader refused or stopped at (unsafe entries, limits); absent when not read from a tarball. */
  archive?: TarballProblem[];
};

export type RuleKind = 'capability' | 'threat';

export type RuleCategory =
  | 'install'
  | 'network'
  | 'filesystem'
  | 'process'
  | 'runtime'
  | 'obfuscation'
  | 'exfiltration'
  | 'credentials'
  | 'persistence'
  | 'evasion'
  | 'metadata'
  | 'supply-chain';

export type Confidence = 'high' | 'medium' | 'low';

/** A finding from a detector rule, with the evidence a human can check. */
export type BehaviorFinding = {
  rule: string;
  kind: RuleKind;
  severity: Severity;
  confidence: Confidence;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  excerpt?: string;
  /** For source → sink chains, both ends. */
  source?: Location;
  sink?: Location;
};

export type Verdict = 'malicious' | 'suspicious' | 'clean';

export type Assessment = {
  name: string;
  version: string;
  integrity?: string;
  verdict: Verdict;
  /** 0 (nothing) to 10 (certain malware). */
  score: number;
  capabilities: string[];
  findings: BehaviorFinding[];
  /** Analyzer version, so cached assessments are redone when the analysis changes. */
  analyzer: string;
};
