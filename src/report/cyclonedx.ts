import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { Finding } from '../core/finding.js';
import type { InventoryPackage, ScanResult } from '../core/scan-result.js';
import type { Severity } from '../core/severity.js';
import { advisorySource, safeAbsoluteUrl, safeHttpUrl } from './advisory-links.js';
import { nameUuid } from './name-uuid.js';
import { plainLine } from './plain-text.js';
import { MALWARE_ADVICE, remediationLines } from './remediation-text.js';
import { type CdxHash, sriToHashes } from './sri-hashes.js';

/**
 * CycloneDX 1.6 JSON: the inventory as components, findings as vulnerabilities, and accepted
 * risks as VEX analysis. Decisions (documented in docs/report-formats.md):
 * - dev-only packages get scope `excluded` (not part of the shipped runtime), optional ones
 *   `optional`, the rest `required`;
 * - a suppressed finding is an accepted risk, not a claim the package is unaffected, so its
 *   analysis is state `exploitable` with response `will_not_fix` (`can_not_fix` when no fix
 *   exists) and the reason and expiry in `detail`;
 * - an expired suppression puts the finding back `in_triage`.
 */

type CdxProperty = { name: string; value: string };
type CdxSource = { name: string; url: string };
type CdxComponent = {
  type: 'library' | 'application';
  'bom-ref': string;
  group?: string;
  name: string;
  version?: string;
  scope?: 'required' | 'optional' | 'excluded';
  hashes?: CdxHash[];
  purl?: string;
  externalReferences?: { type: 'distribution' | 'vcs'; url: string }[];
  properties?: CdxProperty[];
};
type CdxRating = {
  source?: CdxSource;
  score?: number;
  severity: Severity;
  method: 'CVSSv2' | 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other';
  vector?: string;
};
type CdxAnalysis = {
  state: 'exploitable' | 'in_triage';
  response?: ('will_not_fix' | 'can_not_fix')[];
  detail: string;
};
type CdxVulnerability = {
  id: string;
  source?: CdxSource;
  references?: { id: string; source: CdxSource }[];
  ratings: CdxRating[];
  cwes?: number[];
  description: string;
  recommendation: string;
  advisories?: { url: string }[];
  analysis?: CdxAnalysis;
  affects: { ref: string; versions: { version: string; status: 'affected' }[] }[];
  properties?: CdxProperty[];
};

export type CycloneDxBom = {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
    component: CdxComponent;
    properties: CdxProperty[];
  };
  components: CdxComponent[];
  vulnerabilities: CdxVulnerability[];
};

const PROJECT_REF = 'bulwark:project';
/** CWE-506: Embedded Malicious Code. */
const CWE_MALICIOUS_CODE = 506;

export const renderCycloneDx = (result: ScanResult): string =>
  `${JSON.stringify(buildCycloneDx(result), null, 2)}\n`;

export const buildCycloneDx = (result: ScanResult): CycloneDxBom => {
  const refs = new ComponentRefs();
  const components = result.packages.map((pkg) => buildComponent(pkg, refs));
  // A finding on a package the inventory lacks still needs a component to point at.
  for (const finding of result.findings) {
    if (refs.get(finding.package.name, finding.package.version) === undefined) {
      components.push(
        buildComponent(
          {
            name: finding.package.name,
            version: finding.package.version,
            source: 'registry',
            direct: finding.direct,
            dev: finding.devOnly,
            optional: false,
            bundled: false,
          },
          refs,
        ),
      );
    }
  }
  const projectName = basename(result.target.directory) || 'project';
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${nameUuid(`${result.generatedAt}\n${result.target.directory}\n${result.target.file}`)}`,
    version: 1,
    metadata: {
      timestamp: result.generatedAt,
      tools: {
        components: [
          {
            type: 'application',
            'bom-ref': 'bulwark:tool',
            name: result.tool.name,
            version: result.tool.version,
          },
        ],
      },
      component: { type: 'application', 'bom-ref': PROJECT_REF, name: projectName },
      properties: [
        { name: 'bulwark:target:format', value: result.target.format },
        { name: 'bulwark:target:manager', value: result.target.manager },
        { name: 'bulwark:database:advisories', value: String(result.database.advisories) },
        ...(result.database.lastImportAt
          ? [{ name: 'bulwark:database:lastImportAt', value: result.database.lastImportAt }]
          : []),
      ],
    },
    components,
    vulnerabilities: groupVulnerabilities(result.findings).map((group) => buildVulnerability(group, refs)),
  };
};

/** bom-refs are purls; they must be unique, and purls lowercase npm names, so collisions get a suffix. */
class ComponentRefs {
  private readonly byPackage = new Map<string, string>();
  private readonly used = new Set<string>();

  get(name: string, version: string): string | undefined {
    return this.byPackage.get(`${name}@${version}`);
  }

  add(name: string, version: string, base: string): string {
    let ref = base;
    for (let n = 2; this.used.has(ref); n++) ref = `${base}#${n}`;
    this.used.add(ref);
    this.byPackage.set(`${name}@${version}`, ref);
    return ref;
  }
}

export const splitNpmName = (name: string): { group?: string; name: string } => {
  const match = /^(@[^/]+)\/(.+)$/.exec(name);
  return match ? { group: match[1]!, name: match[2]! } : { name };
};

export const npmPurl = (
  pkg: Pick<InventoryPackage, 'name' | 'version' | 'source' | 'resolved'>,
): string | undefined => {
  const { group, name } = splitNpmName(pkg.name);
  const qualifiers: Record<string, string> = {};
  const url = pkg.resolved ? safeAbsoluteUrl(pkg.resolved) : undefined;
  if (url && pkg.source === 'git') qualifiers.vcs_url = url;
  if (url && pkg.source === 'tarball') qualifiers.download_url = url;
  try {
    return new PackageURL(
      'npm',
      group,
      name,
      pkg.version || undefined,
      Object.keys(qualifiers).length > 0 ? qualifiers : undefined,
      undefined,
    ).toString();
  } catch {
    return undefined;
  }
};

const scopeOf = (pkg: InventoryPackage): CdxComponent['scope'] => {
  if (pkg.dev) return 'excluded';
  return pkg.optional ? 'optional' : 'required';
};

const buildComponent = (pkg: InventoryPackage, refs: ComponentRefs): CdxComponent => {
  const purl = npmPurl(pkg);
  const ref = refs.add(pkg.name, pkg.version, purl ?? `bulwark:npm:${pkg.name}@${pkg.version}`);
  const { group, name } = splitNpmName(pkg.name);
  const hashes = sriToHashes(pkg.integrity);
  const url = pkg.resolved && pkg.source !== 'registry' ? safeAbsoluteUrl(pkg.resolved) : undefined;
  const properties: CdxProperty[] = [];
  if (pkg.dev) properties.push({ name: 'cdx:npm:package:development', value: 'true' });
  if (pkg.bundled) properties.push({ name: 'cdx:npm:package:bundled', value: 'true' });
  if (pkg.direct) properties.push({ name: 'bulwark:direct', value: 'true' });
  if (pkg.source !== 'registry') properties.push({ name: 'bulwark:source', value: pkg.source });
  for (const alias of pkg.aliases ?? []) properties.push({ name: 'bulwark:npm:alias', value: alias });
  if (pkg.workspace !== undefined) properties.push({ name: 'bulwark:workspace', value: pkg.workspace });
  return {
    type: 'library',
    'bom-ref': ref,
    ...(group ? { group } : {}),
    name,
    version: pkg.version,
    scope: scopeOf(pkg),
    ...(hashes.length > 0 ? { hashes } : {}),
    ...(purl ? { purl } : {}),
    ...(url ? { externalReferences: [{ type: pkg.source === 'git' ? 'vcs' : 'distribution', url }] } : {}),
    ...(properties.length > 0 ? { properties } : {}),
  } as CdxComponent;
};

/** Findings of one advisory share a vulnerability entry unless their accepted-risk state differs. */
const groupVulnerabilities = (findings: readonly Finding[]): Finding[][] => {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const state = finding.suppression
      ? JSON.stringify(finding.suppression)
      : finding.expiredSuppression
        ? `expired:${JSON.stringify(finding.expiredSuppression)}`
        : 'active';
    const key = `${finding.type}\n${finding.id}\n${state}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.values()];
};

const ratingMethod = (vector: string | undefined): CdxRating['method'] => {
  if (!vector) return 'other';
  if (vector.startsWith('CVSS:4.0/')) return 'CVSSv4';
  if (vector.startsWith('CVSS:3.1/')) return 'CVSSv31';
  if (vector.startsWith('CVSS:3.0/')) return 'CVSSv3';
  if (/^\(?AV:[LAN]\/AC:[HML]\/Au:/.test(vector)) return 'CVSSv2';
  return 'other';
};

/** Behaviour findings are named by detector rules: no advisory database is their source. */
const sourceOf = (finding: Finding, id: string = finding.id) =>
  finding.type === 'behavior' ? undefined : advisorySource(id);

const buildRating = (finding: Finding): CdxRating => {
  const source = sourceOf(finding);
  if (finding.type === 'malware')
    return { ...(source ? { source } : {}), severity: 'critical', method: 'other' };
  return {
    ...(source ? { source } : {}),
    ...(finding.score !== undefined ? { score: finding.score } : {}),
    severity: finding.severity,
    method: ratingMethod(finding.vector),
    ...(finding.vector ? { vector: finding.vector } : {}),
  };
};

const buildVulnerability = (group: Finding[], refs: ComponentRefs): CdxVulnerability => {
  const first = group[0]!;
  const malware = first.type === 'malware' || first.behavior?.verdict === 'malicious';
  const source = sourceOf(first);
  const aliases = [...new Set(group.flatMap((f) => f.aliases))].filter((alias) => alias !== first.id);
  const references = aliases.flatMap((alias) => {
    const aliasSource = sourceOf(first, alias);
    return aliasSource ? [{ id: alias, source: aliasSource }] : [];
  });
  const advisoryUrls = [
    ...new Set(
      group.flatMap((f) => f.references.map(safeHttpUrl).filter((u): u is string => u !== undefined)),
    ),
  ];
  const recommendation = group
    .map((f) => {
      const lines = remediationLines(f).map(plainLine);
      return group.length > 1
        ? `${f.package.name}@${f.package.version}: ${lines.join(' ')}`
        : lines.join(' ');
    })
    .concat(malware ? [MALWARE_ADVICE] : [])
    .join('\n');
  const properties: CdxProperty[] = [{ name: 'bulwark:type', value: first.type }];
  if (first.behavior?.verdict) properties.push({ name: 'bulwark:verdict', value: first.behavior.verdict });
  if (first.behavior?.score !== undefined)
    properties.push({ name: 'bulwark:score', value: first.behavior.score.toFixed(1) });
  for (const finding of group) {
    if (finding.fixedIn)
      properties.push({ name: 'bulwark:fixedIn', value: `${finding.package.name}@${finding.fixedIn}` });
  }
  const analysis = analysisOf(first);
  return {
    id: first.id,
    ...(source ? { source } : {}),
    ...(references.length > 0 ? { references } : {}),
    ratings: [buildRating(first)],
    ...(malware ? { cwes: [CWE_MALICIOUS_CODE] } : {}),
    description: plainLine(first.summary),
    recommendation,
    ...(advisoryUrls.length > 0 ? { advisories: advisoryUrls.map((url) => ({ url })) } : {}),
    ...(analysis ? { analysis } : {}),
    affects: group.map((f) => ({
      ref: refs.get(f.package.name, f.package.version)!,
      versions: [{ version: f.package.version, status: 'affected' as const }],
    })),
    properties,
  };
};

const analysisOf = (finding: Finding): CdxAnalysis | undefined => {
  const s = finding.suppression;
  if (s) {
    return {
      state: 'exploitable',
      response: [finding.remediation.kind === 'none' ? 'can_not_fix' : 'will_not_fix'],
      detail:
        `Accepted risk: ${plainLine(s.reason)} ` +
        `(${s.expires ? `accepted until ${s.expires}` : 'no expiry'}; from ${plainLine(s.source)})`,
    };
  }
  const expired = finding.expiredSuppression;
  if (expired) {
    return {
      state: 'in_triage',
      detail:
        `The accepted-risk entry expired${expired.expires ? ` on ${expired.expires}` : ''} ` +
        `(from ${plainLine(expired.source)}) and needs review: ${plainLine(expired.reason)}`,
    };
  }
  return undefined;
};
