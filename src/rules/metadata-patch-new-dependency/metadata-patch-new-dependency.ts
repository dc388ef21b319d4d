import type { AddedDependency } from '../../analysis/manifest/metadata-signals.js';
import { checkTyposquat, popularIndex } from '../../analysis/manifest/typosquat.js';
import type { Confidence, PackageFacts } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { location, textsOf } from '../fact-queries.js';

const scopeOf = (name: string): string | undefined =>
  name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;

/** Every text the code carries (imports, call arguments, strings): where a dependency would be named. */
const namedInCode = (facts: PackageFacts): Set<string> => {
  const names = new Set<string>();
  for (const fact of facts.code)
    for (const text of textsOf(fact)) {
      const parts = text.split('/');
      names.add(text);
      // `lodash/fp`, `@scope/pkg/sub` name the package too.
      names.add(text.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
    }
  return names;
};

type Grade = { severity: Severity; confidence: Confidence; why: string };

/**
 * Popular packages, the package's own scope and type stubs are ordinary additions. What is left is
 * graded by whether the code ever names the dependency: axios 1.14.1 added plain-crypto-js and never
 * imported it — the dependency was there only to run its own install hook.
 */
const grade = (
  dependency: AddedDependency,
  ownScope: string | undefined,
  named: Set<string> | undefined,
): Grade | undefined => {
  const { name } = dependency;
  const popular = popularIndex();
  if (popular.names.has(name) || name.startsWith('@types/')) return undefined;
  if (ownScope !== undefined && scopeOf(name) === ownScope) return undefined;
  if (named === undefined || named.has(name)) return { severity: 'medium', confidence: 'low', why: '' };
  const squat = checkTyposquat(name, popular);
  if (squat)
    return {
      severity: 'high',
      confidence: 'medium',
      why: `, never imported, and its name imitates "${squat.target}"`,
    };
  return { severity: 'medium', confidence: 'medium', why: ', never imported by the code' };
};

export const metadataPatchNewDependency = defineRule({
  id: 'metadata-patch-new-dependency',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'medium',
    confidence: 'low',
    description:
      'A patch release adds a dependency the previous version did not have (more when the code never imports it)',
    references: [
      'https://github.com/dominictarr/event-stream/issues/116',
      'https://diegorodrigo.dev/en/2026/04/17/the-axios-case-trusting-npm/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const signals = (facts.metadata ?? []).flatMap((s) => (s.kind === 'patch-adds-dependencies' ? [s] : []));
    if (signals.length === 0) return;
    // "Never imported" needs every file read to the end; otherwise the import may be in what was skipped.
    const complete = facts.files.every((file) => !file.factsTruncated && file.parseError === undefined);
    const named = complete ? namedInCode(facts) : undefined;
    const ownScope = scopeOf(facts.manifest.name);
    for (const signal of signals) {
      for (const dependency of signal.added) {
        const found = grade(dependency, ownScope, named);
        if (!found) continue;
        report({
          message: `patch release ${signal.version} adds ${dependency.field} "${dependency.name}@${dependency.spec}" that ${signal.previous} did not have${found.why}`,
          at: location('package.json'),
          severity: found.severity,
          confidence: found.confidence,
        });
      }
    }
  },
});
