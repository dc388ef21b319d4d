import type { CodeFact, Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { type CallFact, factsByFile, isCallIn } from '../fact-queries.js';

const isExecutableMode = (arg: string | undefined): boolean => {
  const mode = /^0o[0-7]+$/.test(arg ?? '') ? Number.parseInt(arg!.slice(2), 8) : Number(arg);
  return Number.isInteger(mode) && (mode & 0o111) !== 0;
};

const makesExecutable = (fact: CodeFact): boolean =>
  (isCallIn(fact, ['filesystem-write']) && /chmod/i.test(fact.api) && isExecutableMode(fact.args[1])) ||
  (isCallIn(fact, ['process']) &&
    /\bchmod\s+(?:[ugoa]*\+x|[0-7]*[1357][0-7]{0,2})\b/.test(fact.args.join(' ')));

const STARTS_CHILD = /(?:^|\.)(?:spawn|spawnSync|exec|execSync|execFile|execFileSync|fork)$/;
/** A dropper is one short routine; in a bundle, unrelated fetches and spawns sit far apart. */
const WINDOW_LINES = 40;
const WINDOW_COLUMNS = 2000;

const near = (a: Location, b: Location, lines = WINDOW_LINES): boolean =>
  a.line === b.line ? Math.abs(a.column - b.column) <= WINDOW_COLUMNS : Math.abs(a.line - b.line) <= lines;

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
    version: 2,
  },
  detect({ facts, report }) {
    for (const fileFacts of factsByFile(facts).values()) {
      for (const detached of fileFacts) {
        if (detached.kind !== 'shape' || detached.shape !== 'detached-process') continue;
        // The call the `{ detached: true }` options belong to: the closest one that starts a child.
        const spawn = fileFacts
          .filter(
            (fact): fact is CallFact =>
              isCallIn(fact, ['process']) && STARTS_CHILD.test(fact.api) && near(fact.at, detached.at, 3),
          )
          .sort((a, b) => Math.abs(a.at.line - detached.at.line) - Math.abs(b.at.line - detached.at.line))[0];
        if (!spawn) continue;
        const fetches = fileFacts.find((fact) => isCallIn(fact, ['network']) && near(fact.at, spawn.at));
        const writes = fileFacts.find(
          (fact): fact is CallFact =>
            isCallIn(fact, ['filesystem-write']) &&
            !/chmod|mkdir|unlink|rm|symlink/i.test(fact.api) &&
            near(fact.at, spawn.at),
        );
        if (!fetches || !writes) continue;
        const chmod = fileFacts.find((fact) => makesExecutable(fact) && near(fact.at, spawn.at));
        const target = spawn.args[0] ?? '';
        // The file written or made executable is the one started: the dropper's signature.
        const same =
          target !== '' &&
          (writes.args[0] === target || (chmod?.kind === 'call' && chmod.args[0] === target));
        if (!chmod && !same) continue;
        report({
          message: `downloads, writes ${writes.args[0] || 'a file'}${chmod ? ', makes it executable' : ''} and starts ${same ? 'it' : 'a process'} detached`,
          source: fetches.at,
          sink: spawn.at,
          ...(chmod && same ? {} : { severity: 'high' as const, confidence: 'medium' as const }),
        });
      }
    }
  },
});
