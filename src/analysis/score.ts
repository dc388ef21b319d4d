import type { Severity } from '../core/severity.js';
import type {
  ApiCategory,
  Assessment,
  BehaviorFinding,
  Confidence,
  PackageFacts,
  RuleCategory,
} from './types.js';

/**
 * From findings to a verdict (model documented in docs/writing-rules.md). Capabilities say what a
 * package can do and never move the score; threats do. Each threat rule counts once (its
 * strongest finding), weighted by severity × confidence; independent rules combine as a
 * noisy-OR, so corroboration raises the score without any single weak rule reaching the top.
 */

const SEVERITY_WEIGHT: Record<Severity, number> = {
  critical: 1,
  high: 0.8,
  medium: 0.5,
  low: 0.2,
  none: 0,
  unknown: 0.2,
};
const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.7, low: 0.4 };
/** A seen source → sink chain is stronger evidence than the same rule on one location. */
const CHAIN_BONUS = 0.1;

export const MALICIOUS_SCORE = 7.5;
export const SUSPICIOUS_SCORE = 4;
const LOW_CONFIDENCE_RULES_FOR_SUSPICIOUS = 3;

const CALL_CAPABILITY: Record<ApiCategory, string> = {
  process: 'shell',
  network: 'network',
  dns: 'network',
  'filesystem-read': 'filesystem',
  'filesystem-write': 'filesystem',
  os: 'os',
  env: 'env',
  eval: 'eval',
  crypto: 'crypto',
  worker: 'worker',
  native: 'native',
};

const RULE_CAPABILITY: Partial<Record<RuleCategory, string>> = {
  install: 'install-scripts',
  network: 'network',
  filesystem: 'filesystem',
  process: 'shell',
  runtime: 'eval',
  obfuscation: 'obfuscated',
  credentials: 'filesystem',
  persistence: 'filesystem',
};

const NETWORK_MODULES = new Set([
  'http',
  'https',
  'net',
  'tls',
  'dgram',
  'dns',
  'http2',
  'undici',
  'node-fetch',
  'axios',
]);
const PROCESS_MODULES = new Set(['child_process']);

const capabilitiesOf = (facts: PackageFacts, findings: readonly BehaviorFinding[]): string[] => {
  const found = new Set<string>();
  for (const fact of facts.code) {
    if (fact.kind === 'call') found.add(CALL_CAPABILITY[fact.category]);
    else if (fact.kind === 'env-read') found.add('env');
    else if (fact.kind === 'obfuscation') found.add('obfuscated');
    else if (fact.kind === 'unicode') found.add('hidden-unicode');
    else if (fact.kind === 'import') {
      const name = fact.module.replace(/^node:/, '');
      if (NETWORK_MODULES.has(name)) found.add('network');
      if (PROCESS_MODULES.has(name)) found.add('shell');
    }
  }
  if (Object.keys(facts.manifest.installScripts).length > 0 || facts.manifest.bindingGyp)
    found.add('install-scripts');
  if (facts.manifest.bindingGyp || facts.files.some((file) => file.binary !== undefined)) found.add('native');
  if (facts.manifest.remoteDependencies.length > 0) found.add('remote-dependencies');
  for (const finding of findings) {
    if (finding.kind !== 'capability') continue;
    const category = capabilityOfRule(finding.rule);
    if (category) found.add(category);
  }
  return [...found].sort();
};

/**
 * Metadata capability rules describe the release, not what its code can do; each is its own entry,
 * named by the rest of the rule id (`metadata-deprecated` → `deprecated`) unless renamed here.
 */
const METADATA_CAPABILITY: Readonly<Record<string, string>> = {
  'metadata-missing-repository': 'no-repository',
};

/** Capability findings carry no category; the rule id's first word names it (`install-script-present`). */
const capabilityOfRule = (rule: string): string | undefined => {
  const category = rule.split('-')[0] ?? '';
  if (category === 'metadata') return METADATA_CAPABILITY[rule] ?? rule.slice('metadata-'.length);
  return RULE_CAPABILITY[category as RuleCategory];
};

/** What scoring reads of a finding: inspect's and the sandbox's findings both have it. */
export type ScoredFinding = Pick<BehaviorFinding, 'rule' | 'kind' | 'severity' | 'confidence'> &
  Partial<Pick<BehaviorFinding, 'source' | 'sink'>>;

export const findingWeight = (finding: ScoredFinding): number => {
  if (finding.kind !== 'threat') return 0;
  const chain = finding.source !== undefined && finding.sink !== undefined && finding.confidence !== 'low';
  return Math.min(
    1,
    SEVERITY_WEIGHT[finding.severity] * CONFIDENCE_WEIGHT[finding.confidence] + (chain ? CHAIN_BONUS : 0),
  );
};

/** Certain enough on its own: a high-confidence threat of high or critical severity. */
const isDecisive = (finding: ScoredFinding): boolean =>
  finding.kind === 'threat' &&
  finding.confidence === 'high' &&
  (finding.severity === 'critical' || finding.severity === 'high');

/** The verdict and score of a set of findings (inspect's and the sandbox's alike). */
export const scoreFindings = (
  findings: readonly ScoredFinding[],
): { verdict: Assessment['verdict']; score: number } => {
  const strongest = new Map<string, number>();
  for (const finding of findings) {
    const weight = findingWeight(finding);
    if (weight > (strongest.get(finding.rule) ?? 0)) strongest.set(finding.rule, weight);
  }
  let clear = 1;
  for (const weight of strongest.values()) clear *= 1 - weight;
  let score = 10 * (1 - clear);
  const decisive = findings.some(isDecisive);
  // Many weak signals may make a package suspicious, never malicious.
  if (!decisive) score = Math.min(score, MALICIOUS_SCORE - 0.1);
  // Two low-confidence signals pair by chance in big tooling bundles; three rules corroborate.
  const firm = findings.some((finding) => finding.kind === 'threat' && finding.confidence !== 'low');
  if (!firm && strongest.size < LOW_CONFIDENCE_RULES_FOR_SUSPICIOUS)
    score = Math.min(score, SUSPICIOUS_SCORE - 0.1);
  score = Math.round(score * 10) / 10;
  const verdict = score >= MALICIOUS_SCORE ? 'malicious' : score >= SUSPICIOUS_SCORE ? 'suspicious' : 'clean';
  return { verdict, score };
};

export const assess = (
  facts: PackageFacts,
  findings: readonly BehaviorFinding[],
): Pick<Assessment, 'verdict' | 'score' | 'capabilities'> => ({
  ...scoreFindings(findings),
  capabilities: capabilitiesOf(facts, findings),
});
