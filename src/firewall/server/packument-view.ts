import { decide } from '../../policy/firewall/decide.js';
import { viewHiding } from '../../policy/firewall/release-age.js';
import type { Decision, FirewallPolicy, Subject } from '../../policy/firewall/types.js';
import type { RegistryDocument } from '../registry/document.js';
import { hideVersions } from '../registry/rewrite.js';
import type { TarballAnalyser } from './analyser.js';
import type { PackageIntel } from './intel.js';
import type { PackumentEntry } from './packuments.js';
import { integrityOf, metadataSubject, packageFacts } from './subject.js';

/** A packument as this firewall serves it under one policy at one moment. */
export type PackumentView = {
  entry: PackumentEntry;
  /** Versions the policy hides removed, dist-tags re-pointed; tarball URLs not yet rewritten. */
  doc: RegistryDocument;
  /** The metadata decision of every version of the upstream document. */
  decisions: Map<string, Decision>;
  subjects: Map<string, Subject>;
  /** Each version's usable integrity (`dist.integrity`, else the shasum). */
  integrities: Map<string, string>;
  hidden: string[];
  /** Failures that apply to every version (intel unreadable). */
  failures: string[];
};

/**
 * Decides every version of a packument on what the document and the local databases say (no
 * tarball is fetched): intel, release age, scripts, trust, deprecation, exotic dependencies,
 * typosquat, and any analysis verdict already cached. Versions decided `hide` are removed.
 * `deny` versions stay listed: their tarballs get the 403, so a pinned install says "blocked".
 */
export const computeView = (
  entry: PackumentEntry,
  policy: FirewallPolicy,
  now: Date,
  context: { intel: PackageIntel | undefined; intelFailure?: string; analyser?: TarballAnalyser },
): PackumentView => {
  const { doc } = entry;
  const facts = packageFacts(doc);
  const failures = context.intelFailure ? [context.intelFailure] : [];
  const integrities = new Map<string, string>();
  for (const version of Object.keys(doc.versions)) {
    const integrity = integrityOf(doc.versions[version]!);
    if (integrity !== undefined) integrities.set(version, integrity);
  }
  const withIntegrity = [...integrities].map(([version, integrity]) => ({ version, integrity }));
  const verdicts = context.analyser?.cachedVerdicts(doc.name, withIntegrity) ?? new Map();
  const decisions = new Map<string, Decision>();
  const subjects = new Map<string, Subject>();
  const hidden: string[] = [];
  for (const version of Object.keys(doc.versions)) {
    const subject = metadataSubject(doc, version, facts, context.intel);
    const verdict = verdicts.get(version);
    if (verdict?.analysis) subject.analysis = verdict.analysis;
    if (failures.length > 0) subject.failures = [...failures];
    const decision = decide(policy, subject, now);
    subjects.set(version, subject);
    decisions.set(version, decision);
    if (decision.action === 'hide') hidden.push(version);
  }
  const served =
    hidden.length === 0
      ? doc
      : hideVersions(doc, { hide: hidden, distTags: viewHiding(doc, hidden).distTags });
  return {
    entry,
    doc: served,
    decisions,
    subjects,
    integrities,
    hidden,
    failures,
  };
};
