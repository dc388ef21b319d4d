import { defineRule } from '../define-rule.js';
import { factsByFile, hostOfUrl, isCallIn, isLoopbackHost } from '../fact-queries.js';

/** How close (in lines) a network call and a dynamic eval must be to count without a seen flow. */
const NEAR_LINES = 10;
/** `…/pkg@1.2.3/…`: an exact release, not a range. */
const PINNED_VERSION = /@\d+\.\d+\.\d+(?:-[\w.]+)?(?:\/|$)/;

export const runtimeRemoteCode = defineRule({
  id: 'runtime-remote-code',
  meta: {
    kind: 'threat',
    category: 'runtime',
    severity: 'critical',
    confidence: 'high',
    description:
      'Code downloaded at run time is executed (network response → eval/Function/vm, remote import)',
    references: [
      'https://attack.mitre.org/techniques/T1105/',
      'https://socket.dev/blog/north-korean-apt-lazarus-targets-developers-with-malicious-npm-package',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    for (const fileFacts of factsByFile(facts).values()) {
      let flowed = false;
      for (const fact of fileFacts) {
        if (fact.kind === 'flow' && isCallIn(fact.from, ['network', 'dns']) && isCallIn(fact.to, ['eval'])) {
          flowed = true;
          // Dev servers and module loaders (Metro's fetchThenEvalJs) eval what they fetch from a
          // URL they are given; a payload loader fetches from an address written into it.
          const fixed = fact.from.args.some((arg) => {
            if (!/^(?:https?|wss?):\/\//i.test(arg)) return false;
            const host = hostOfUrl(arg);
            return host === undefined || !isLoopbackHost(host);
          });
          report({
            message: `${fact.to.api} runs what ${fact.from.api} received${fixed ? ` from ${fact.from.args[0]?.slice(0, 80)}` : ''}`,
            source: fact.from.at,
            sink: fact.to.at,
            ...(fixed ? {} : { confidence: 'medium' as const }),
          });
        } else if (fact.kind === 'import' && /^https?:\/\//i.test(fact.module)) {
          // A browser shim importing an exact version from a CDN gets what was reviewed; a
          // floating range or a bare URL gets whatever the host serves tomorrow.
          const pinned = PINNED_VERSION.test(fact.module);
          report({
            message: `imports code from a URL${pinned ? ' (exact version)' : ''}: ${fact.module.slice(0, 80)}`,
            at: fact.at,
            confidence: pinned ? 'low' : 'medium',
            severity: 'high',
          });
        }
      }
      if (flowed) continue;
      const sends = fileFacts.filter((fact) => isCallIn(fact, ['network', 'dns']));
      // An eval with a constant argument runs known text; only a dynamic one can run a response.
      const dynamicEvals = fileFacts.filter((fact) => isCallIn(fact, ['eval']) && !fact.args[0]);
      for (const run of dynamicEvals) {
        const near = sends.find((send) => Math.abs(send.at.line - run.at.line) <= NEAR_LINES);
        if (near && near.kind === 'call' && run.kind === 'call')
          report({
            message: `${run.api} of a dynamic value near ${near.api}`,
            source: near.at,
            sink: run.at,
            confidence: 'low',
          });
      }
    }
  },
});
