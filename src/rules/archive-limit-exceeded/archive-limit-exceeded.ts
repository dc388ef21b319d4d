import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import type { TarballLimitName } from '../../tarball/limits.js';
import { defineRule } from '../define-rule.js';

/**
 * The reader stopped at a bound (src/tarball/limits.ts): the package was not read whole, so its
 * other findings are a lower bound. A compression ratio no source code reaches is a bomb aimed at
 * scanners; size, entry-count and time limits are as often a huge legitimate package.
 */
const GRADES: Record<TarballLimitName, { severity: Severity; confidence: Confidence }> = {
  ratio: { severity: 'high', confidence: 'medium' },
  'unpacked-size': { severity: 'medium', confidence: 'low' },
  entries: { severity: 'medium', confidence: 'low' },
  'file-size': { severity: 'medium', confidence: 'low' },
  time: { severity: 'medium', confidence: 'low' },
};

export const archiveLimitExceeded = defineRule({
  id: 'archive-limit-exceeded',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'medium',
    confidence: 'low',
    description:
      'The tarball hit a reading limit (compression bomb, size, entries, time): analysis is partial',
    references: ['https://cwe.mitre.org/data/definitions/409.html'],
    version: 1,
  },
  detect({ facts, report }) {
    for (const problem of facts.archive ?? []) {
      if (problem.kind !== 'limit') continue;
      const grade = GRADES[problem.limit];
      report({
        message: `archive not read whole: ${problem.message}`,
        severity: grade.severity,
        confidence: grade.confidence,
      });
    }
  },
});
