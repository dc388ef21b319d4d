import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, flow, packageFacts } from '../rule-test-kit.js';
import { envSerializeExfil as rule } from './env-serialize-exfil.js';

const wholeEnv: CodeFact = { kind: 'env-read', key: '*', at: at('index.js', 2) };
const send = call('fetch', 'network', at('index.js', 5), ['https://collector.invalid/']);

describe('env-serialize-exfil', () => {
  it('reports whole-env reads beside a network call, at low confidence', () => {
    const findings = rule.run(packageFacts({ code: [wholeEnv, send] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: 'low', line: 2, sink: at('index.js', 5) });
  });

  it('leaves a seen flow to credential-exfil-chain', () => {
    expect(rule.run(packageFacts({ code: [wholeEnv, send, flow(wholeEnv, send)] }))).toEqual([]);
  });

  it('is silent for a single variable read beside a network call', () => {
    expect(
      rule.run(packageFacts({ code: [{ kind: 'env-read', key: 'PORT', at: at('index.js', 1) }, send] })),
    ).toEqual([]);
  });

  it('is silent when the network call is in another file', () => {
    const other = call('fetch', 'network', at('client.js', 5));
    expect(rule.run(packageFacts({ code: [wholeEnv, other] }))).toEqual([]);
  });
});
