import { defineRule } from '../define-rule.js';
import type { CallFact } from '../fact-queries.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** Write calls and the argument naming the file they create. */
const TARGET_ARG: ReadonlyMap<string, number> = new Map([
  ['writeFile', 0],
  ['writeFileSync', 0],
  ['createWriteStream', 0],
  ['copyFile', 1],
  ['copyFileSync', 1],
  ['rename', 1],
  ['renameSync', 1],
  ['cp', 1],
  ['cpSync', 1],
]);
/** Places a user never looks and that are on PATH or world-writable (`os.homedir()` folds to `~`). */
const HIDDEN_PLACE = /^(?:~|\$HOME)[\\/]\.local[\\/](?:bin|share)[\\/]|^\/(?:tmp|var\/tmp|dev\/shm)\//;
const CHMOD_COMMAND = /\bchmod\s+(?:[ugoa]*\+x|[0-7]?[0-7]*[1357][0-7]{0,2})\s+(\S+)/;

const targetOf = (call: CallFact): string | undefined => {
  const index = TARGET_ARG.get(call.api.slice(call.api.lastIndexOf('.') + 1));
  return index === undefined ? undefined : call.args[index] || undefined;
};

/** The path a call makes executable, if it does. */
const madeExecutable = (call: CallFact): string | undefined => {
  if (call.category === 'filesystem-write' && /chmod/i.test(call.api)) {
    const mode = Number(call.args[1]);
    return Number.isInteger(mode) && (mode & 0o111) !== 0 ? (call.args[0] ?? '') : undefined;
  }
  if (call.category === 'process') return CHMOD_COMMAND.exec(call.args.join(' '))?.[1] ?? undefined;
  return undefined;
};

export const persistenceHiddenExecutable = defineRule({
  id: 'persistence-hidden-executable',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'medium',
    description: 'Drops a file into ~/.local/bin, ~/.local/share or a temp dir and makes it executable',
    references: [
      'https://checkmarx.com/blog/the-evolutionary-pattern-of-npm-package-xmlrpc/',
      'https://attack.mitre.org/techniques/T1036/005/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const calls = fileFacts.filter((fact): fact is CallFact =>
        isCallIn(fact, ['filesystem-write', 'process']),
      );
      const executables = calls.flatMap((call) => {
        const path = madeExecutable(call);
        return path === undefined ? [] : [{ path, call }];
      });
      if (executables.length === 0) continue;
      for (const call of calls) {
        const target = call.category === 'filesystem-write' ? targetOf(call) : undefined;
        if (target === undefined || !HIDDEN_PLACE.test(target)) continue;
        // The dropped file itself made executable, or a chmod +x of a path built at run time.
        const same = executables.find(
          ({ path }) =>
            path === target || (path.length > 2 && path.startsWith('*') && target.endsWith(path.slice(1))),
        );
        const unknown = executables.find(({ path }) => path === '' || path === '*');
        if (!same && !unknown) continue;
        report({
          message: `${file} drops ${target.slice(0, 100)} and makes ${same ? 'it' : 'a file'} executable`,
          source: call.at,
          sink: (same ?? unknown)?.call.at ?? call.at,
          confidence: same ? 'medium' : 'low',
        });
      }
    }
  },
});
