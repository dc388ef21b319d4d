import { parseResolution } from '@yarnpkg/parsers';
import { maxSatisfying, validRange } from 'semver';
import type { DepNode } from '../../core/graph.js';
import { normalizeBerryRange } from './descriptor.js';

/** One Berry `resolutions` rule: `[parent[@range]/]name[@range]` → range. */
export type Override = {
  parentName?: string;
  parentRange?: string;
  name: string;
  range?: string;
  value: string;
};

/** Parses the root manifest's `resolutions`; patterns yarn itself rejects come back as `invalid`. */
export const readOverrides = (
  resolutions: Map<string, string>,
): { overrides: Override[]; invalid: string[] } => {
  const overrides: Override[] = [];
  const invalid: string[] = [];
  for (const [pattern, value] of resolutions) {
    let parsed: ReturnType<typeof parseResolution>;
    try {
      parsed = parseResolution(pattern);
    } catch {
      invalid.push(pattern);
      continue;
    }
    const override: Override = { name: parsed.descriptor.fullName, value };
    if (parsed.descriptor.description !== undefined) override.range = parsed.descriptor.description;
    if (parsed.from) {
      override.parentName = parsed.from.fullName;
      if (parsed.from.description !== undefined) override.parentRange = parsed.from.description;
    }
    overrides.push(override);
  }
  return { overrides, invalid };
};

/** The range yarn would use instead of `range` for `parent`'s dependency `name`, if a rule applies. */
export const overriddenRange = (
  overrides: Override[],
  parent: DepNode,
  name: string,
  range: string,
): string | undefined => {
  for (const rule of overrides) {
    if (rule.name !== name) continue;
    if (rule.range !== undefined && normalizeBerryRange(rule.range) !== normalizeBerryRange(range)) continue;
    if (rule.parentName !== undefined) {
      if (rule.parentName !== parent.name && !parent.aliases?.includes(rule.parentName)) continue;
      if (rule.parentRange !== undefined && !versionMatches(parent.version, rule.parentRange)) continue;
    }
    return rule.value;
  }
  return undefined;
};

const versionMatches = (version: string, range: string): boolean => {
  const bare = range.startsWith('npm:') ? range.slice(4) : range;
  if (bare === version) return true;
  return validRange(bare) !== null && maxSatisfying([version], bare) !== null;
};
