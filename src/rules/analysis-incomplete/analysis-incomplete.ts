import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/**
 * Says where the analysis stopped short, so a clean verdict is read for what it is: the package's
 * time budget ran out before a file was read, extraction hit its per-file cap of facts or its walk
 * budget, or extraction failed. Informational (a capability finding): it never moves the score;
 * `scan` reports the per-package time limit, and archive limits, as their own findings.
 */
export const analysisIncomplete = defineRule({
  id: 'analysis-incomplete',
  meta: {
    kind: 'capability',
    category: 'evasion',
    severity: 'low',
    confidence: 'high',
    description:
      'Part of the package was not analysed: time budget spent, per-file fact cap, or extraction failed',
    references: ['https://github.com/ossf/package-analysis/blob/main/docs/case_studies.md'],
    version: 1,
  },
  detect({ facts, report }) {
    for (const stats of facts.files) {
      if (!stats.factsTruncated) continue;
      const reason = stats.parseError?.startsWith('not analysed')
        ? stats.parseError
        : stats.parseError?.includes('extraction stopped')
          ? stats.parseError.slice(stats.parseError.indexOf('extraction stopped'))
          : 'only the first facts were kept (the per-file cap or the walk budget was reached)';
      report({ message: `${stats.file}: ${reason}`, at: location(stats.file) });
    }
  },
});
