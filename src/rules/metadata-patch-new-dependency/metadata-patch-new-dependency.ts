import type { AddedDependency } from '../../analysis/manifest/metadata-signals.js';
import { checkTyposquat, popularIndex } from '../../analysis/manifest/typosquat.js';
import type { Confidence, PackageFacts } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { location, textsOf } from '../fact-queries.js';

/** Files extraction parses (declaration files hold no code and are not parsed). */
const SOURCE_FILE = /(?<!\.d)\.(?:[cm]?[jt]s|[jt]sx)$/;

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
  ownBare: string,
  named: Set<string> | undefined,
): Grade | undefined => {
  const { name } = dependency;
  const popular = popularIndex();
  if (popular.names.has(name) || name.startsWith('@types/') || dependency.mentionedIn !== undefined)
    return undefined;
  if (ownScope !== undefined && scopeOf(name) === ownScope) return undefined;
  // Platform binaries, optional and picked by a computed name, carry the package's own name
  // (`@esbuild/linux-x64`, `@rollup/rollup-darwin-arm64`, `@img/sharp-libvips-…`).
  if (
    dependency.field === 'optionalDependencies' &&
    ownBare.length >= 3 &&
    name.toLowerCase().includes(ownBare)
  )
    return undefined;
  // An imported addition is what bug fixes occasionally need; as a third weak rule it would tip
  // big tooling bundles (vite, vitest) into `suspicious`, so only the phantom shape is reported.
  if (named === undefined || named.has(name)) return undefined;
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
    confidence: 'medium',
    description:
      'A patch release adds a dependency the previous version did not have and the code never imports',
    references: [
      'https://github.com/dominictarr/event-stream/issues/116',
      'https://diegorodrigo.dev/en/2026/04/17/the-axios-case-trusting-npm/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const signals = (facts.metadata ?? []).flatMap((s) => (s.kind === 'patch-adds-dependencies' ? [s] : []));
    if (signals.length === 0) return;
    // "Never imported" needs every source file read to the end; the import may be in what was skipped.
    const complete = facts.files.every(
      (file) => !file.factsTruncated && (file.parseError === undefined || !SOURCE_FILE.test(file.file)),
    );
    const named = complete ? namedInCode(facts) : undefined;
    const ownName = facts.manifest.name.toLowerCase();
    const ownScope = scopeOf(ownName);
    const ownBare = ownName.slice(ownName.indexOf('/') + 1);
    for (const signal of signals) {
      for (const dependency of signal.added) {
        const found = grade(dependency, ownScope, ownBare, named);
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
