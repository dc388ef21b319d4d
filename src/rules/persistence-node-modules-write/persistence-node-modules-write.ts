import { defineRule } from '../define-rule.js';
import { factsOfKind, filesRunByInstallScripts, isTestFile } from '../fact-queries.js';

/** Write calls and the argument that names the file written. */
const TARGET_ARG: ReadonlyMap<string, number> = new Map([
  ['writeFile', 0],
  ['writeFileSync', 0],
  ['appendFile', 0],
  ['appendFileSync', 0],
  ['createWriteStream', 0],
  ['copyFile', 1],
  ['copyFileSync', 1],
  ['rename', 1],
  ['renameSync', 1],
  ['cp', 1],
  ['cpSync', 1],
]);
/** `node_modules/<pkg>/…` (not `.bin`, `.cache`, `.vite`: tool caches live under dot-dirs). */
const INTO_PACKAGE = /(?:^|[\\/])node_modules[\\/]((?:@[\w.-]+[\\/])?[\w-][\w.-]*)[\\/]/;
/** `<own dir>/../<pkg>/<file>.js`: a sibling package in the same node_modules. */
const INTO_SIBLING = /^\*[\\/]\.\.[\\/]((?:@[\w.-]+[\\/])?[\w-][\w.-]*)[\\/][^*]*\.(?:c|m)?js$/;

export const persistenceNodeModulesWrite = defineRule({
  id: 'persistence-node-modules-write',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'medium',
    description: 'Writes into another package’s files under node_modules (code-level persistence)',
    references: [
      'https://socket.dev/blog/npm-is-package-hijacked-in-expanded-supply-chain-attack',
      'https://attack.mitre.org/techniques/T1554/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    const own = facts.manifest.name;
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    for (const call of factsOfKind(facts, 'call')) {
      if (call.category !== 'filesystem-write') continue;
      const index = TARGET_ARG.get(call.api.slice(call.api.lastIndexOf('.') + 1));
      const target = index === undefined ? undefined : call.args[index];
      if (!target) continue;
      const other = INTO_PACKAGE.exec(target)?.[1] ?? INTO_SIBLING.exec(target)?.[1];
      if (!other || other.replace(/\\/g, '/') === own) continue;
      report({
        message: `${call.at.file} writes into package ${other}: ${target.slice(0, 100)}`,
        at: call.at,
        // Tests build fixture node_modules trees of their own (expo's __tests__).
        confidence: installFiles.has(call.at.file) ? 'high' : isTestFile(call.at.file) ? 'low' : 'medium',
      });
    }
  },
});
