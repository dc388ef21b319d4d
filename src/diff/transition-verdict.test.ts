import { describe, expect, it } from 'vitest';
import type { Assessment, BehaviorFinding } from '../analysis/types.js';
import { analyzeSide } from './analyze-side.js';
import { computeDelta, type DependencyChange, type PackageDelta } from './delta.js';
import type { DependencyRegistryInfo } from './new-dependencies.js';
import { transitionVerdict } from './transition-verdict.js';

const side = (version: string, scripts: Record<string, string> = {}) =>
  analyzeSide(
    new Map(
      Object.entries({
        'package.json': JSON.stringify({ name: 'p', version, main: 'index.js', scripts }),
        'index.js': 'module.exports = function add(a, b) {\n  return a + b;\n};\n',
      }).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]),
    ),
  );

const verdictOf = (from: ReturnType<typeof side>, to: ReturnType<typeof side>) =>
  transitionVerdict(from.assessment, to.assessment, computeDelta(from, to));

describe('transitionVerdict: install scripts', () => {
  it('calls a registry install hook added or changed suspicious', () => {
    const added = verdictOf(side('1.0.0'), side('1.0.1', { postinstall: 'node index.js' }));
    expect(added.verdict).toBe('suspicious');
    expect(added.reasons).toEqual(['install script added: postinstall']);
    const changed = verdictOf(
      side('1.0.0', { install: 'node-gyp rebuild' }),
      side('1.0.1', { install: 'node index.js' }),
    );
    expect(changed.reasons).toEqual(['install script changed: install']);
  });

  // Top-200 histories (evals/transitions): uuid, minipass, isexe, cliui, cookie, … add or rewrite
  // `prepare` (a build step) between releases; a registry install never runs it.
  it('does not call a prepare hook added or changed a turn', () => {
    const added = verdictOf(side('4.0.0'), side('5.0.0', { prepare: 'tshy', preprepare: 'rm -rf dist' }));
    expect(added).toEqual({ verdict: 'benign', reasons: [], evidence: [] });
    const changed = verdictOf(side('7.0.3', { prepare: 'tsc' }), side('7.0.4', { prepare: 'tshy' }));
    expect(changed.verdict).toBe('benign');
  });
});

const clean: Assessment = {
  name: 'p',
  version: '1.0.0',
  verdict: 'clean',
  score: 0,
  capabilities: [],
  findings: [],
  analyzer: 'test',
};

/** A delta in which nothing changed, to be filled in by each case. */
const delta = (patch: Partial<PackageDelta> = {}): PackageDelta => ({
  added: [],
  removed: [],
  installScripts: [],
  hosts: [],
  ips: [],
  sensitivePaths: [],
  credentialFiles: [],
  obfuscatedFiles: [],
  minifiedFiles: [],
  binaryFiles: [],
  dependencies: { added: [], removed: [], changed: [] },
  files: { added: [], removed: [], changed: [] },
  findings: [],
  exportsRemoved: {
    subpaths: [],
    bins: [],
    names: [],
    mainRemoved: false,
    mainEmptied: false,
    breaking: false,
  },
  hunks: { hunks: [], omitted: 0 },
  ...patch,
});

const young: DependencyRegistryInfo = {
  package: 'young',
  versions: 1,
  resolved: '0.0.1',
  brandNew: true,
  littleUsed: true,
  signals: ['first published 2 days before this release', '1 version', 'no repository'],
  verdict: 'clean',
};
const added = (registry: DependencyRegistryInfo, name = registry.package): DependencyChange => ({
  name,
  field: 'dependencies',
  to: '^0.0.1',
  registry,
});
const withDeps = (...deps: DependencyChange[]) =>
  delta({ dependencies: { added: deps, removed: [], changed: [] } });

describe('transitionVerdict: new dependencies', () => {
  it('is malicious when a new dependency is, naming an npm: alias by both names', () => {
    const evil = {
      ...young,
      package: 'flatmap-fixture',
      verdict: 'malicious' as const,
      score: 9.5,
      rules: ['x'],
    };
    const t = transitionVerdict(clean, clean, withDeps(added(evil, 'flatmap')));
    expect(t).toMatchObject({ verdict: 'malicious', evidence: [] });
    expect(t.reasons).toEqual(['new dependency flatmap (flatmap-fixture)@0.0.1 is malicious (score 9.5: x)']);
  });

  it('lets a brand-new, little-used clean dependency pass alone, and names it when itself suspicious', () => {
    expect(transitionVerdict(clean, clean, withDeps(added(young))).verdict).toBe('benign');
    const settled = { ...young, brandNew: false, verdict: 'suspicious' as const };
    expect(transitionVerdict(clean, clean, withDeps(added(settled))).verdict).toBe('benign');
    const t = transitionVerdict(clean, clean, withDeps(added({ ...young, verdict: 'suspicious' })));
    expect(t.verdict).toBe('suspicious');
    expect(t.reasons[0]).toMatch(
      /^new dependency young@0\.0\.1 is brand new and little used \(.*\) and itself suspicious$/,
    );
  });

  it('adds a dependency from nowhere to the reasons beside another signal', () => {
    const t = transitionVerdict(
      clean,
      clean,
      delta({
        installScripts: [{ script: 'postinstall', to: 'node x.js', runsFiles: ['x.js'] }],
        dependencies: { added: [added(young)], removed: [], changed: [] },
      }),
    );
    expect(t.verdict).toBe('suspicious');
    expect(t.reasons).toHaveLength(2);
    expect(t.reasons[1]).toMatch(/^new dependency young@0\.0\.1 is brand new/);
  });
});

describe('transitionVerdict: exports removed', () => {
  const removed = (patch: Partial<PackageDelta['exportsRemoved']>) =>
    delta({ exportsRemoved: { ...delta().exportsRemoved, ...patch } });

  it('calls a compatible release removing or emptying its main entry suspicious', () => {
    expect(transitionVerdict(clean, clean, removed({ mainRemoved: true })).reasons).toEqual([
      'a compatible (non-major) release removes its main entry: sabotage or a broken publish',
    ]);
    expect(transitionVerdict(clean, clean, removed({ mainEmptied: true })).verdict).toBe('suspicious');
  });

  it('lets a breaking release, unknown versions, or removed names alone pass', () => {
    expect(transitionVerdict(clean, clean, removed({ mainRemoved: true, breaking: true })).verdict).toBe(
      'benign',
    );
    expect(transitionVerdict(clean, clean, removed({ mainRemoved: true, breaking: 'unknown' })).verdict).toBe(
      'benign',
    );
    expect(transitionVerdict(clean, clean, removed({ names: ['parse'], bins: ['cli'] })).verdict).toBe(
      'benign',
    );
  });
});

describe('transitionVerdict: signals that together are a takeover', () => {
  const finding = (rule: string, file: string, severity: BehaviorFinding['severity'] = 'high') =>
    ({
      rule,
      kind: 'threat',
      severity,
      confidence: 'medium',
      file,
      line: 1,
      message: rule,
    }) as BehaviorFinding;
  const suspiciousTo: Assessment = { ...clean, version: '1.0.1', verdict: 'suspicious', score: 7.4 };

  it('calls an added install hook that runs a file with a new high-severity threat malicious', () => {
    const t = transitionVerdict(
      clean,
      suspiciousTo,
      delta({
        installScripts: [
          { script: 'postinstall', to: 'node scripts/setup.js', runsFiles: ['scripts/setup.js'] },
        ],
        findings: [finding('process-dropper-detached', 'scripts/setup.js')],
      }),
    );
    expect(t.verdict).toBe('malicious');
    expect(t.reasons[0]).toMatch(
      /^the new postinstall hook runs scripts\/setup\.js, where process-dropper-detached fired/,
    );
  });

  it('keeps it suspicious when the threat is elsewhere or only medium severity', () => {
    const hook = [{ script: 'postinstall', to: 'node scripts/setup.js', runsFiles: ['scripts/setup.js'] }];
    expect(
      transitionVerdict(
        clean,
        suspiciousTo,
        delta({ installScripts: hook, findings: [finding('r', 'lib/other.js')] }),
      ).verdict,
    ).toBe('suspicious');
    expect(
      transitionVerdict(
        clean,
        suspiciousTo,
        delta({ installScripts: hook, findings: [finding('r', 'scripts/setup.js', 'medium')] }),
      ).verdict,
    ).toBe('suspicious');
  });

  it('calls a newly obfuscated file naming credential stores in a networked package malicious', () => {
    const change = delta({
      obfuscatedFiles: ['lib/validator.js'],
      credentialFiles: ['lib/validator.js'],
      sensitivePaths: ['.ssh/id_rsa'],
      findings: [finding('obfuscation-string-array', 'lib/validator.js')],
    });
    const networked = { ...suspiciousTo, capabilities: ['network'] };
    const t = transitionVerdict(clean, networked, change);
    expect(t.verdict).toBe('malicious');
    expect(t.reasons[0]).toMatch(
      /^newly obfuscated lib\/validator\.js references credential stores \(\.ssh\/id_rsa\)/,
    );
    expect(transitionVerdict(clean, suspiciousTo, change).verdict).toBe('suspicious');
    expect(
      transitionVerdict(clean, networked, delta({ ...change, credentialFiles: ['lib/other.js'] })).verdict,
    ).toBe('suspicious');
  });

  it('lists a plain native build without calling it a reason, unless binding.gyp runs commands', () => {
    const native = delta({
      installScripts: [{ script: 'install', to: 'node-gyp-build', runsFiles: [], benign: 'node-gyp' }],
    });
    expect(transitionVerdict(clean, clean, native)).toMatchObject({ verdict: 'benign', reasons: [] });
    const expanding = { ...native, findings: [finding('install-gyp-command-expansion', 'binding.gyp')] };
    expect(transitionVerdict(clean, clean, expanding).reasons).toContain('install script added: install');
  });
});

describe('transitionVerdict: low-confidence findings', () => {
  const low = {
    rule: 'network-raw-ip',
    kind: 'threat',
    severity: 'medium',
    confidence: 'low',
    file: 'test/uri.js',
    line: 3,
    message: 'raw IP',
  } as BehaviorFinding;

  it('lists them without a turn while `to` stays clean, and counts them once it is not', () => {
    const quiet = transitionVerdict(clean, clean, delta({ findings: [low] }));
    expect(quiet).toMatchObject({ verdict: 'benign', reasons: [], evidence: [low] });
    const suspiciousTo: Assessment = { ...clean, verdict: 'suspicious', score: 4.2 };
    expect(transitionVerdict(clean, suspiciousTo, delta({ findings: [low] })).verdict).toBe('suspicious');
    const firm = { ...low, confidence: 'medium' } as BehaviorFinding;
    expect(transitionVerdict(clean, clean, delta({ findings: [firm] })).verdict).toBe('suspicious');
  });
});
