import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import type { TarballEntryProblemKind } from '../../tarball/types.js';
import { defineRule } from '../define-rule.js';

/**
 * `npm pack` never writes these entries: an archive holding them was made by hand, for an
 * extractor that follows them (CVE-2018-20834, CVE-2021-32803/32804 in node-tar) or to make two
 * tools see different files. The reader refuses every one; this rule says it happened.
 */
const GRADES: Partial<
  Record<TarballEntryProblemKind, { severity: Severity; confidence: Confidence; what: string }>
> = {
  'path-traversal': { severity: 'high', confidence: 'medium', what: 'escapes the package with ../' },
  'absolute-path': { severity: 'high', confidence: 'medium', what: 'has an absolute path' },
  'outside-top-folder': { severity: 'medium', confidence: 'low', what: 'lies outside the package folder' },
  symlink: { severity: 'medium', confidence: 'medium', what: 'is a symbolic link' },
  hardlink: { severity: 'medium', confidence: 'medium', what: 'is a hard link' },
  'special-file': { severity: 'high', confidence: 'medium', what: 'is a device, FIFO or other special file' },
  'duplicate-path': {
    severity: 'medium',
    confidence: 'medium',
    what: 'appears twice (tools disagree on which copy wins)',
  },
  'control-characters': { severity: 'medium', confidence: 'low', what: 'has control characters in its name' },
  'non-utf8-name': { severity: 'low', confidence: 'low', what: 'has a name that is not UTF-8' },
};

export const archiveUnsafeEntry = defineRule({
  id: 'archive-unsafe-entry',
  meta: {
    kind: 'threat',
    category: 'supply-chain',
    severity: 'high',
    confidence: 'medium',
    description:
      'The tarball holds entries npm never packs: path traversal, absolute paths, links, special files, duplicates',
    references: [
      'https://github.com/advisories/GHSA-r628-mhmh-qjhw',
      'https://github.com/advisories/GHSA-9r2w-394v-53qc',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const problem of facts.archive ?? []) {
      if (problem.kind === 'limit' || problem.kind === 'package-json') continue;
      const grade = GRADES[problem.kind];
      if (!grade) continue;
      report({
        message: `archive entry ${problem.entry} ${grade.what}`,
        severity: grade.severity,
        confidence: grade.confidence,
      });
    }
  },
});
