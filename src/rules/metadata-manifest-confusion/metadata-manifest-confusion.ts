import type { ManifestMismatch } from '../../analysis/manifest/metadata-signals.js';
import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

type Grade = { severity: Severity; confidence: Confidence; what: string };

/**
 * How bad one mismatch is. npm installs from the tarball, so what the tarball adds and the registry
 * copy hides is the dangerous direction: an install hook no registry-side scanner saw.
 */
const grade = (m: ManifestMismatch): Grade => {
  const added = m.registry === undefined && m.tarball !== undefined;
  const changed = m.registry !== undefined && m.tarball !== undefined;
  switch (m.field) {
    case 'scripts':
      if (added)
        return { severity: 'high', confidence: 'high', what: 'install hook hidden from the registry' };
      if (changed)
        return { severity: 'high', confidence: 'medium', what: 'install hook differs from the registry' };
      return { severity: 'low', confidence: 'low', what: 'install hook only in the registry copy' };
    case 'dependencies':
    case 'optionalDependencies':
      if (added)
        return { severity: 'high', confidence: 'medium', what: 'dependency hidden from the registry' };
      if (changed) return { severity: 'medium', confidence: 'low', what: 'dependency range differs' };
      return { severity: 'low', confidence: 'low', what: 'dependency only in the registry copy' };
    case 'bin':
      if (added || changed)
        return { severity: 'medium', confidence: 'medium', what: 'command hidden from the registry' };
      return { severity: 'low', confidence: 'low', what: 'command only in the registry copy' };
    default:
      return { severity: 'medium', confidence: 'medium', what: `${m.field} differs from the registry` };
  }
};

const show = (value: string | undefined): string =>
  value === undefined ? '(absent)' : JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

export const metadataManifestConfusion = defineRule({
  id: 'metadata-manifest-confusion',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'high',
    confidence: 'high',
    description:
      "The tarball's package.json differs from the registry's copy of the manifest (manifest confusion)",
    references: [
      'https://blog.vlt.sh/blog/the-massive-hole-in-the-npm-ecosystem',
      'https://securityboulevard.com/2023/06/npm-manifest-confusion-what-is-it-and-do-you-really-need-to-worry-about-it/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'manifest-confusion') continue;
      for (const mismatch of signal.mismatches) {
        const { severity, confidence, what } = grade(mismatch);
        const key = mismatch.key === undefined ? mismatch.field : `${mismatch.field}.${mismatch.key}`;
        report({
          message: `${what}: ${key} is ${show(mismatch.tarball)} in the tarball, ${show(mismatch.registry)} in the registry`,
          at: location('package.json'),
          severity,
          confidence,
        });
      }
    }
  },
});
