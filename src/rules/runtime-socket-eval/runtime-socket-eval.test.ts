import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { runtimeSocketEval as rule } from './runtime-socket-eval.js';

const handler = (detail: string, line = 6): CodeFact => ({
  kind: 'shape',
  shape: 'message-handler-eval',
  detail,
  at: at('index.js', line),
});
const socketIo: CodeFact = {
  kind: 'import',
  module: 'socket.io-client',
  dynamic: false,
  computed: false,
  at: at('index.js', 1),
};

describe('runtime-socket-eval', () => {
  it('reports a socket.io handler that runs what it receives', () => {
    const findings = rule.run(packageFacts({ code: [socketIo, handler("socket.on('cmd') → Function")] }));
    expect(findings.map((f) => [f.message, f.severity, f.confidence, f.line])).toEqual([
      [
        "index.js: socket.on('cmd') → Function runs socket messages (socket.io-client)",
        'critical',
        'high',
        6,
      ],
    ]);
  });

  it('reports a WebSocket onmessage handler', () => {
    const ws = call('WebSocket', 'network', at('index.js', 2), ['wss://c2.invalid/']);
    expect(rule.run(packageFacts({ code: [ws, handler('ws.onmessage → eval')] }))).toHaveLength(1);
  });

  it.each([
    ['a worker message handler', [socketIo, handler("worker_threads.parentPort.on('message') → Function")]],
    ['a process message handler', [socketIo, handler("process.on('message') → vm.runInThisContext")]],
    ['a web worker onmessage', [socketIo, handler('global.onmessage → eval')]],
    ['an evaluating handler in a file with no socket', [handler("emitter.on('run') → eval")]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
