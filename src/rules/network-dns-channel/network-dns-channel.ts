import { defineRule } from '../define-rule.js';
import { near, shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** Lines between a TXT lookup and the code runner for them to be one staging step. */
const NEAR_LINES = 30;

export const networkDnsChannel = defineRule({
  id: 'network-dns-channel',
  meta: {
    kind: 'threat',
    category: 'network',
    severity: 'high',
    confidence: 'medium',
    description: 'DNS used as a channel: TXT records fed to eval/exec, or data encoded into looked-up names',
    references: [
      'https://attack.mitre.org/techniques/T1071/004/',
      'https://github.com/ossf/malicious-packages/issues/1446',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      for (const label of shapesNamed(fileFacts, 'dns-encoded-label'))
        report({ message: `${file}: ${label.detail} (data leaves as DNS labels)`, at: label.at });
      const txt = fileFacts.filter(
        (fact) => isCallIn(fact, ['dns']) && /resolveTxt|resolveAny/.test(fact.api),
      );
      if (txt.length === 0) continue;
      const runners = fileFacts.filter((fact) => isCallIn(fact, ['eval', 'process']));
      for (const lookup of txt) {
        const runner = runners.find((run) => near(run.at, lookup.at, NEAR_LINES));
        if (runner?.kind !== 'call' || lookup.kind !== 'call') continue;
        report({
          message: `${runner.api} near ${lookup.api}: commands staged in DNS TXT records`,
          source: lookup.at,
          sink: runner.at,
          // Evaluating code beside a TXT lookup has no benign reading; spawning a process might.
          confidence: runner.category === 'eval' ? 'high' : 'medium',
        });
      }
    }
  },
});
