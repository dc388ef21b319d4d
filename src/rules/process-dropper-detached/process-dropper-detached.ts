import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

const isExecutableMode = (arg: string | undefined): boolean => {
  const mode = /^0o[0-7]+$/.test(arg ?? '') ? Number.parseInt(arg!.slice(2), 8) : Number(arg);
  return Number.isInteger(mode) && (mode & 0o111) !== 0;
};

const makesExecutable = (fact: CodeFact): boolean =>
  (isCallIn(fact, ['filesystem-write']) && /chmod/i.test(fact.api) && isExecutableMode(fact.args[1])) ||
  (isCallIn(fact, ['process']) &&
    /\bchmod\s+(?:[ugoa]*\+x|[0-7]*[1357][0-7]{0,2})\b/.test(fact.args.join(' ')));

export const processDropperDetached = defineRule({
  id: 'process-dropper-detached',
  meta: {
    kind: 'threat',
    category: 'process',
    severity: 'critical',
    confidence: 'high',
    description:
      'Downloads a file, writes it, makes it executable and starts it as a detached process (dropper)',
    references: [
      'https://attack.mitre.org/techniques/T1105/',
      'https://socket.dev/blog/north-korean-apt-lazarus-targets-developers-with-malicious-npm-package',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const fileFacts of factsByFile(facts).values()) {
      const detached = fileFacts.find((fact) => fact.kind === 'shape' && fact.shape === 'detached-process');
      if (!detached) continue;
      const fetches = fileFacts.find((fact) => isCallIn(fact, ['network']));
      const writes = fileFacts.find(
        (fact) => isCallIn(fact, ['filesystem-write']) && !/chmod|mkdir|unlink|rm/i.test(fact.api),
      );
      const spawns = fileFacts.find((fact) => isCallIn(fact, ['process']));
      if (!fetches || !writes || !spawns || writes.kind !== 'call') continue;
      const chmods = fileFacts.some(makesExecutable);
      report({
        message: `downloads, writes ${writes.args[0] || 'a file'}${chmods ? ', makes it executable' : ''} and starts a detached process`,
        source: fetches.at,
        sink: spawns.at,
        ...(chmods ? {} : { severity: 'high' as const, confidence: 'medium' as const }),
      });
    }
  },
});
