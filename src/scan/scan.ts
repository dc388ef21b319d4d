import { existsSync } from 'node:fs';
import { compare as semverCompare } from 'semver';
import type { Advisory } from '../core/advisory.js';
import { type Finding, isMaliciousBehavior } from '../core/finding.js';
import { type DepNode, isLocalNode } from '../core/graph.js';
import { type GraphIndex, indexGraph, isDirect, nodeLabel, pathsTo } from '../core/graph-ops.js';
import {
  type AnalysisSummary,
  type InventoryPackage,
  SCAN_REPORT_SCHEMA_VERSION,
  type ScanResult,
  type ScanSummary,
} from '../core/scan-result.js';
import { atLeast, compareSeverity, SEVERITY_ORDER, type Severity } from '../core/severity.js';
import { TOOL_NAME, TOOL_VERSION } from '../core/version.js';
import { databaseSummary, databaseWarnings } from '../intel/database-age.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { applySuppressions, loadSuppressions } from '../policy/suppressions.js';
import { createPackumentSource } from '../registry/packument-client.js';
import { planRemediation } from '../remediation/remediate.js';
import { openStore } from '../store/open-store.js';
import type { MatchCandidate } from '../store/store.js';
import type { AnalysisProgress, TargetOutcome } from './analysis/run-analysis.js';
import {
  type AdvisoryGroup,
  candidateAdvisory,
  findHits,
  groupHits,
  isMatchable,
  matchVersion,
} from './match.js';

export type ScanOptions = {
  dir: string;
  /** An explicit lockfile, package.json or SBOM; otherwise discovered in `dir`. */
  lockfile?: string | undefined;
  dbPath: string;
  omitDev: boolean;
  failOn: Severity | 'never';
  /** No registry look-ups; remediation uses cached packuments only. */
  offline: boolean;
  registry?: string | undefined;
  useSuppressions: boolean;
  /** Read every registry package's code in worker threads; off when absent (`--no-analysis`, `fix`). */
  analysis?: false | ScanAnalysisOptions;
  now?: Date;
  onPhase?: (label: string) => void;
};

export type ScanAnalysisOptions = {
  /** Per-package wall-clock limit (default 10 s). */
  limitMs?: number;
  onProgress?: (progress: AnalysisProgress) => void;
  /** Tests: the bundled worker entry, the assessment cache file, the pool size. */
  workerUrl?: URL;
  cachePath?: string;
  poolSize?: number;
  /** Check each package's newer releases for a turn (`--no-upgrade-check` leaves it out); never offline. */
  upgradeCheck?:
    | false
    | {
        depth?: number;
        /** `direct` (default): the packages a root declares, which the user upgrades; `all`: every package. */
        scope?: 'direct' | 'all';
        onProgress?: (progress: AnalysisProgress) => void;
      };
};

const MAX_PATHS = 100;

export const runScan = async (options: ScanOptions): Promise<ScanResult> => {
  const now = options.now ?? new Date();
  const phase = options.onPhase ?? (() => {});
  phase('reading the inventory');
  const inventory = loadInventory({ dir: options.dir, lockfile: options.lockfile });
  const { graph } = inventory;
  const index = indexGraph(graph);
  const warnings = [...graph.warnings];
  // Read before any database work, so a malformed bulwark.yaml fails fast.
  const suppressions = options.useSuppressions ? loadSuppressions(inventory.directory) : [];

  phase('opening the advisory database');
  const dbExists = existsSync(options.dbPath);
  const store = dbExists ? await openStore(options.dbPath, { readonly: true }) : undefined;
  try {
    const status = store ? await store.status() : undefined;
    const database = status
      ? databaseSummary(status, now)
      : { location: options.dbPath, advisories: 0, malware: 0 };
    warnings.push(...databaseWarnings(options.dbPath, status, now));

    const included = [...graph.nodes.values()].filter(
      (node) => !isLocalNode(node) && !(options.omitDev && node.dev),
    );
    phase(`matching ${included.length} packages`);
    const matchable = included.filter(isMatchable);
    // Match on the light views of every candidate; read whole records only for the hits.
    const candidates = store
      ? await store.matchCandidates(new Set(matchable.map((node) => node.name)), lowestVersions(matchable))
      : new Map<string, MatchCandidate[]>();
    const views = new Map<string, Advisory[]>();
    for (const [name, list] of candidates) views.set(name, list.map(candidateAdvisory));
    const hits = findHits(matchable, views);
    const hitIds = new Set(hits.flatMap((hit) => hit.hits.map((advisory) => advisory.id)));
    const records = store ? await store.getAdvisories(hitIds) : new Map<string, Advisory>();
    const groups = groupHits(hits, records);

    const analysis = options.analysis
      ? await analysePackages(
          included,
          index,
          inventory.directory,
          options,
          options.analysis,
          warnings,
          phase,
        )
      : undefined;

    phase('planning fixes');
    const packuments = createPackumentSource({
      projectDir: inventory.directory,
      offline: options.offline,
      registry: options.registry,
    });
    const notes: string[] = [];
    const findings: Finding[] = [];
    for (const group of groups) {
      findings.push(
        await toFinding(group, index, {
          manager: inventory.manager,
          advisoriesForPackage: views.get(group.node.name) ?? [],
          packuments,
          notes,
        }),
      );
    }
    warnings.push(...new Set(notes));
    if (analysis) findings.push(...analysis.findings);

    const analysisOptions = options.analysis || undefined;
    const upgrades =
      analysis && analysisOptions?.upgradeCheck && !options.offline
        ? await checkNewerReleases(
            analysisOptions.upgradeCheck.scope === 'all'
              ? included
              : included.filter((node) => isDirect(index, node.id)),
            inventory.directory,
            options,
            analysisOptions,
            analysis.outcomes,
            warnings,
            phase,
          )
        : undefined;

    const finalFindings = applySuppressions(findings, suppressions, now).sort(compareFindings);

    const packages = inventoryPackages(included, index);
    return {
      schemaVersion: SCAN_REPORT_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      generatedAt: now.toISOString(),
      target: {
        directory: inventory.directory,
        file: inventory.file,
        format: graph.format,
        manager: inventory.manager,
      },
      options: { omitDev: options.omitDev, failOn: options.failOn },
      database,
      packages,
      findings: finalFindings,
      summary: summarise(packages.length, finalFindings, options.failOn),
      ...(analysis ? { analysis: analysis.summary } : {}),
      ...(upgrades ? { upgrades } : {}),
      warnings,
    };
  } finally {
    await store?.close();
  }
};

/** Behaviour analysis of the included packages: findings for the report, counts for the summary. */
const analysePackages = async (
  included: DepNode[],
  index: GraphIndex,
  projectDir: string,
  options: ScanOptions,
  analysis: ScanAnalysisOptions,
  warnings: string[],
  phase: (label: string) => void,
): Promise<{ findings: Finding[]; summary: AnalysisSummary; outcomes: TargetOutcome[] }> => {
  phase(`analysing ${included.length} packages`);
  const [{ runAnalysis }, { behaviorFindings }] = await Promise.all([
    import('./analysis/run-analysis.js'),
    import('./analysis/behavior-findings.js'),
  ]);
  const run = await runAnalysis({
    nodes: included,
    projectDir,
    offline: options.offline,
    registry: options.registry,
    onWarning: (message) => warnings.push(message),
    ...(analysis.limitMs !== undefined ? { limitMs: analysis.limitMs } : {}),
    ...(analysis.onProgress ? { onProgress: analysis.onProgress } : {}),
    ...(analysis.workerUrl ? { workerUrl: analysis.workerUrl } : {}),
    ...(analysis.cachePath ? { cachePath: analysis.cachePath } : {}),
    ...(analysis.poolSize ? { poolSize: analysis.poolSize } : {}),
  });
  const failedFetches = run.summary.notAnalysed.filter((entry) => entry.reason === 'fetch-failed');
  if (failedFetches.length > 0) {
    const first = failedFetches[0]!;
    warnings.push(
      `${failedFetches.length} package${failedFetches.length === 1 ? '' : 's'} not analysed: the tarball could not be fetched (${first.detail ?? `${first.name}@${first.version}`})`,
    );
  }
  return {
    findings: behaviorFindings(run.outcomes, included, index),
    summary: run.summary,
    outcomes: run.outcomes,
  };
};

/** The newer releases of the inventory, read like the installed ones (src/scan/upgrades). */
const checkNewerReleases = async (
  included: DepNode[],
  projectDir: string,
  options: ScanOptions,
  analysis: ScanAnalysisOptions,
  installed: TargetOutcome[],
  warnings: string[],
  phase: (label: string) => void,
): Promise<ScanResult['upgrades']> => {
  phase('checking newer releases');
  const settings = analysis.upgradeCheck || {};
  const { checkUpgrades } = await import('./upgrades/upgrade-check.js');
  return checkUpgrades({
    nodes: included,
    installed,
    projectDir,
    registry: options.registry,
    onWarning: (message) => warnings.push(message),
    ...(settings.depth !== undefined ? { depth: settings.depth } : {}),
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
    ...(analysis.limitMs !== undefined ? { limitMs: analysis.limitMs } : {}),
    ...(analysis.workerUrl ? { workerUrl: analysis.workerUrl } : {}),
    ...(analysis.cachePath ? { cachePath: analysis.cachePath } : {}),
    ...(analysis.poolSize ? { poolSize: analysis.poolSize } : {}),
  });
};

type FindingContext = {
  manager: 'npm' | 'yarn' | 'pnpm' | 'bun' | 'unknown';
  advisoriesForPackage: Advisory[];
  packuments: ReturnType<typeof createPackumentSource>;
  notes: string[];
};

const toFinding = async (group: AdvisoryGroup, index: GraphIndex, ctx: FindingContext): Promise<Finding> => {
  const { node, primary } = group;
  const malware = group.advisories.some((advisory) => advisory.kind === 'malware');
  const { paths, truncated } = pathsTo(index, node.id, MAX_PATHS);
  const label = (id: string) => {
    const n = index.graph.nodes.get(id);
    return n ? nodeLabel(n) : id;
  };
  const severity: Severity = malware ? 'critical' : primary.severity.level;
  const finding: Finding = {
    type: malware ? 'malware' : 'vulnerability',
    id: primary.id,
    aliases: group.aliases,
    summary: primary.summary || primary.details?.split('\n')[0] || primary.id,
    severity,
    package: { name: node.name, version: node.version },
    direct: isDirect(index, node.id),
    devOnly: node.dev,
    paths: paths.map((path) => path.map(label)),
    pathsTruncated: truncated,
    remediation: await planRemediation({
      index,
      nodeId: node.id,
      advisories: group.advisories,
      allAdvisories: ctx.advisoriesForPackage,
      manager: ctx.manager,
      packuments: ctx.packuments,
      notes: ctx.notes,
    }),
    references: referencesOf(group.advisories),
  };
  if (primary.severity.score !== undefined && !malware) finding.score = primary.severity.score;
  if (primary.severity.vector !== undefined) finding.vector = primary.severity.vector;
  if (group.fixedIn !== undefined && !malware) finding.fixedIn = group.fixedIn;
  if (node.line !== undefined) finding.line = node.line;
  return finding;
};

/** The lowest installed version of each package name: the store may skip advisories below it. */
const lowestVersions = (nodes: DepNode[]): Map<string, string> => {
  const lowest = new Map<string, string>();
  for (const node of nodes) {
    const version = matchVersion(node);
    if (version === undefined) continue;
    const current = lowest.get(node.name);
    if (current === undefined || semverCompare(version, current) < 0) lowest.set(node.name, version);
  }
  return lowest;
};

const referencesOf = (advisories: Advisory[]): string[] => {
  const urls = new Set<string>();
  for (const advisory of advisories) {
    for (const reference of advisory.references) {
      if (reference.type === 'ADVISORY' || reference.type === 'WEB' || reference.type === 'REPORT')
        urls.add(reference.url);
    }
  }
  return [...urls].slice(0, 10);
};

const compareFindings = (a: Finding, b: Finding): number =>
  Number(a.suppression !== undefined) - Number(b.suppression !== undefined) ||
  Number(b.type === 'malware') - Number(a.type === 'malware') ||
  Number(isMaliciousBehavior(b)) - Number(isMaliciousBehavior(a)) ||
  compareSeverity(a.severity, b.severity) ||
  a.package.name.localeCompare(b.package.name) ||
  a.package.version.localeCompare(b.package.version) ||
  a.id.localeCompare(b.id);

const inventoryPackages = (nodes: DepNode[], index: GraphIndex): InventoryPackage[] => {
  const byKey = new Map<string, InventoryPackage>();
  for (const node of nodes) {
    const key = `${node.name}@${node.version}`;
    const existing = byKey.get(key);
    const direct = isDirect(index, node.id);
    if (existing) {
      existing.direct ||= direct;
      existing.dev &&= node.dev;
      existing.optional &&= node.optional;
      continue;
    }
    const entry: InventoryPackage = {
      name: node.name,
      version: node.version,
      source: node.source,
      direct,
      dev: node.dev,
      optional: node.optional,
      bundled: node.bundled,
    };
    if (node.aliases?.length) entry.aliases = [...node.aliases];
    if (node.resolved !== undefined) entry.resolved = node.resolved;
    if (node.integrity !== undefined) entry.integrity = node.integrity;
    if (node.workspace !== undefined) entry.workspace = node.workspace;
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
};

const summarise = (packages: number, findings: Finding[], failOn: Severity | 'never'): ScanSummary => {
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let malware = 0;
  let failing = 0;
  for (const finding of findings) {
    if (finding.suppression) {
      suppressed++;
      continue;
    }
    bySeverity[finding.severity]++;
    if (finding.type === 'malware') malware++;
    const alwaysFails = finding.type === 'malware' || isMaliciousBehavior(finding);
    if (failOn !== 'never' && (alwaysFails || atLeast(finding.severity, failOn))) failing++;
  }
  return { packages, findings: findings.length - suppressed, suppressed, bySeverity, malware, failing };
};
