import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts, url } from '../rule-test-kit.js';
import { networkDeadDrop as rule } from './network-dead-drop.js';

const ethCall = shape('chain-rpc-call', 'eth_call', at('a.js', 3));
const run = call('Function', 'eval', at('a.js', 9), ['']);
const ethers: CodeFact = {
  kind: 'import',
  module: 'ethers',
  dynamic: false,
  computed: false,
  at: at('b.js', 1),
};

describe('network-dead-drop', () => {
  it('reports a chain read in a file that evaluates code, with both ends', () => {
    const findings = rule.run(packageFacts({ code: [ethCall, run] }));
    expect(findings).toEqual([expect.objectContaining({ confidence: 'high', line: 9 })]);
    expect(findings[0]?.source?.line).toBe(3);
  });

  it('ignores chain reads in a package that is itself a chain client, not paste sites', () => {
    const paste = url('https://pastebin.com/raw/FIXTURE', at('a.js', 4));
    expect(rule.run(packageFacts({ code: [ethers, ethCall, run] }))).toEqual([]);
    expect(rule.run(packageFacts({ code: [ethers, paste, run] })).map((f) => f.confidence)).toEqual(['high']);
  });

  it('reports a calendar link or an ICP canister alone at medium', () => {
    const calendar = shape('dead-drop-host', 'https://calendar.app.google/FIXTURE', at('a.js', 2));
    const canister = shape('dead-drop-host', 'https://abc-cai.raw.icp0.io/x', at('a.js', 2));
    expect(rule.run(packageFacts({ code: [calendar] })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [canister] })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ manifest: { name: '@dfinity/agent' }, code: [canister] }))).toEqual([]);
  });

  it('is silent for a chain read or a gist link without an evaluator', () => {
    const gist = shape('dead-drop-host', 'https://gist.githubusercontent.com/', at('a.js', 2));
    expect(rule.run(packageFacts({ code: [ethCall, gist] }))).toEqual([]);
  });
});

describe('network-dead-drop distance', () => {
  it('is silent when the runner is far from the chain read (an RPC server bundle)', () => {
    const farRun = call('child_process.spawn', 'process', at('a.js', 4000), ['']);
    expect(rule.run(packageFacts({ code: [ethCall, farRun] }))).toEqual([]);
  });
});

describe('network-dead-drop runners', () => {
  it('is medium for a chain read beside a process spawn, high beside an eval', () => {
    const spawn = call('child_process.spawn', 'process', at('a.js', 8), ['']);
    expect(rule.run(packageFacts({ code: [ethCall, spawn] })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [ethCall, spawn, run] })).map((f) => f.confidence)).toEqual([
      'high',
    ]);
  });
});

describe('network-dead-drop droppers', () => {
  it('is high for a chain read, a file written and a process spawned (jest-fet-mock)', () => {
    const write = call('fs.writeFileSync', 'filesystem-write', at('a.js', 7));
    const spawn = call('child_process.spawn', 'process', at('a.js', 8), ['']);
    expect(rule.run(packageFacts({ code: [ethCall, write, spawn] })).map((f) => f.confidence)).toEqual([
      'high',
    ]);
  });
});
