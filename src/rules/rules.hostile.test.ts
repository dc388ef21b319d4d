import { describe, expect, it } from 'vitest';
import { assess } from '../analysis/score.js';
import type { CodeFact } from '../analysis/types.js';
import { RULES } from './index.js';
import { at, call, flow, packageFacts, str } from './rule-test-kit.js';

// Facts come from untrusted packages. Every rule must stay fast and never throw on adversarial
// values: long repeats built to make regexes backtrack, odd Unicode, prototype-named keys.
const REPEATS = [
  'reg add '.repeat(12_500),
  'node --a '.repeat(11_000),
  '4'.repeat(100_000),
  'https://'.repeat(12_500),
  `${'/'.repeat(50_000)}.ssh`,
  'curl '.repeat(20_000),
  'npm publish '.repeat(8_000),
  '\u202e\ufe0f\u200b'.repeat(30_000),
  'stratum+tcp://'.repeat(7_000),
];

const hostileFacts = () => {
  const code: CodeFact[] = [];
  for (const [i, value] of REPEATS.entries()) {
    const where = at(`f${i % 3}.js`, i + 1);
    const send = call('https.request', 'network', where, [value, value]);
    const read: CodeFact = { kind: 'env-read', key: value, at: where };
    code.push(
      str(value, where, 'base64'),
      { kind: 'url', value, host: value, at: where },
      { kind: 'ip', value, port: 70_000, at: where },
      { kind: 'sensitive-path', value, category: value, at: where },
      { kind: 'obfuscation', signal: value, detail: value, at: where },
      { kind: 'unicode', signal: 'bidi', count: Number.MAX_SAFE_INTEGER, at: where },
      { kind: 'import', module: value, dynamic: true, computed: true, at: where },
      call('child_process.exec', 'process', where, [value]),
      call('eval', 'eval', where, [value]),
      call('fs.chmodSync', 'filesystem-write', where, [value, value]),
      send,
      read,
      flow(read, send),
    );
  }
  // JSON.parse makes "__proto__" an own key, as a parsed package.json would.
  const scripts = JSON.parse(
    `{"__proto__": ${JSON.stringify(REPEATS[1])}, "postinstall": ${JSON.stringify(REPEATS[5])}}`,
  ) as Record<string, string>;
  return packageFacts({
    manifest: {
      name: '__proto__',
      installScripts: scripts,
      bindingGyp: { commands: REPEATS },
      remoteDependencies: REPEATS.map((spec) => ({ name: '__proto__', spec })),
    },
    code,
  });
};

describe('rules on hostile facts', () => {
  const facts = hostileFacts();
  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s stays fast and bounded', (_, rule) => {
    const started = performance.now();
    const findings = rule.run(facts);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(findings.length).toBeLessThanOrEqual(20);
    expect(assess(facts, findings).score).toBeLessThanOrEqual(10);
  });
});
