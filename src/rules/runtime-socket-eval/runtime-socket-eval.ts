import type { CodeFact } from '../../analysis/types.js';
import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

const SOCKET_CALLS =
  /^(?:WebSocket|EventSource|net\.(?:connect|createConnection|Socket)|tls\.connect|io|socket\.io-client(?:\.\w+)?|ws)$/;
const SOCKET_MODULES = new Set([
  'ws',
  'socket.io-client',
  'socket.io',
  'net',
  'tls',
  'engine.io-client',
  'sockjs-client',
]);
/** Message channels between threads and processes of the same program: not a network peer. */
const LOCAL_CHANNEL = /^(?:global|process|self|worker_threads\.\w+|parentPort|port\d?|worker|child)\b/;

const socketIn = (facts: readonly CodeFact[]): string | undefined => {
  for (const fact of facts) {
    if (fact.kind === 'call' && SOCKET_CALLS.test(fact.api)) return fact.api;
    if (fact.kind === 'import' && SOCKET_MODULES.has(fact.module)) return fact.module;
    if (fact.kind === 'url' && /^wss?:\/\//i.test(fact.value)) return fact.value.slice(0, 60);
  }
  return undefined;
};

export const runtimeSocketEval = defineRule({
  id: 'runtime-socket-eval',
  meta: {
    kind: 'threat',
    category: 'runtime',
    severity: 'critical',
    confidence: 'high',
    description: 'A socket message handler runs what it receives with eval/Function/vm (remote shell)',
    references: [
      'https://socket.dev/blog/north-korean-apt-lazarus-targets-developers-with-malicious-npm-package',
      'https://attack.mitre.org/techniques/T1059/007/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const handlers = shapesNamed(fileFacts, 'message-handler-eval').filter(
        (fact) => !LOCAL_CHANNEL.test(fact.detail),
      );
      if (handlers.length === 0) continue;
      const socket = socketIn(fileFacts);
      if (socket === undefined) continue;
      for (const handler of handlers)
        report({ message: `${file}: ${handler.detail} runs socket messages (${socket})`, at: handler.at });
    }
  },
});
