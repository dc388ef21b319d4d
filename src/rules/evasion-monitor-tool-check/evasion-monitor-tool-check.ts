import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

const PROCESS_LISTING =
  /(?:^|[\s;&|(`'"])(?:ps|tasklist|pgrep|pidof|Get-Process|wmic\s+process)(?:\.exe)?(?=$|[\s;&|)'"])/i;
const PROCESS_LIST_MODULES = new Set(['ps-list', 'find-process', 'ps-node', 'ps-tree', 'pidusage']);

/** How the file lists running processes, if it does. */
export const processListing = (facts: readonly CodeFact[]): CodeFact | undefined =>
  facts.find(
    (fact) =>
      (isCallIn(fact, ['process']) && PROCESS_LISTING.test(fact.args.join(' '))) ||
      (fact.kind === 'string' && PROCESS_LISTING.test(fact.value)) ||
      (fact.kind === 'import' && PROCESS_LIST_MODULES.has(fact.module)),
  );

export const evasionMonitorToolCheck = defineRule({
  id: 'evasion-monitor-tool-check',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description: 'Looks for process monitors (top, htop, vmstat, procmon …) in the process list to hide',
    references: [
      'https://attack.mitre.org/techniques/T1497/',
      'https://attack.mitre.org/techniques/T1057/',
      'https://checkmarx.com/blog/the-evolutionary-pattern-of-npm-package-xmlrpc/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const lists = fileFacts.filter((fact) => fact.kind === 'shape' && fact.shape === 'monitor-tool-list');
      if (lists.length === 0) continue;
      const listing = processListing(fileFacts);
      for (const list of lists) {
        if (list.kind !== 'shape') continue;
        // The lister kept in the same string table as the monitors (obfuscated payloads).
        if (!listing && / \(beside \w+\)$/.test(list.detail))
          report({ message: `${file} keeps ${list.detail}`, at: list.at });
        else if (listing)
          report({
            message: `${file} lists running processes and checks for ${list.detail}`,
            source: listing.at,
            sink: list.at,
          });
        // A list of monitors with no process listing here may be a settings table: weak alone.
        else
          report({
            message: `${file} names ${list.detail}`,
            at: list.at,
            severity: 'medium',
            confidence: 'low',
          });
      }
    }
  },
});
