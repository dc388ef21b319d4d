import { type DepNode, isLocalNode } from '../../core/graph.js';
import type { UpgradeCheck, UpgradeSummary } from '../../core/scan-result.js';
import { type GradedTransition, gradeTransitions } from '../../diff/metadata/grading.js';
import { metadataTransitions } from '../../diff/metadata/transitions.js';
import { hostOf, PUBLIC_REGISTRY_HOSTS } from '../../lockfile/package-lock/source-kind.js';
import type { AnalysisProgress, TargetOutcome } from '../analysis/run-analysis.js';
import { type JudgedCode, judgeRelease } from './judge-release.js';
import { DEFAULT_UPGRADE_DEPTH, newerReleases } from './newer-releases.js';
import { createDocumentSource, type DocumentSource, type RegistryDocument } from './registry-documents.js';

export type UpgradeCheckOptions = {
  /** The scan's included inventory nodes. */
  nodes: readonly DepNode[];
  /** The scan's own analysis outcomes: the installed releases' verdicts. */
  installed: readonly TargetOutcome[];
  projectDir: string;
  registry?: string | undefined;
  /** Newer releases checked per package besides `latest`. */
  depth?: number;
  limitMs?: number;
  workerUrl?: URL;
  cachePath?: string;
  poolSize?: number;
  /** Tests: full registry documents from elsewhere. */
  documents?: DocumentSource;
  onProgress?: (progress: AnalysisProgress) => void;
  onWarning?: (message: string) => void;
};

export type UpgradeCheckResult = { summary: UpgradeSummary; packages: UpgradeCheck[] };

type Planned = {
  node: { name: string; version: string };
  check: UpgradeCheck;
  metadata: Map<string, GradedTransition[]>;
};

/**
 * For each registry package of the inventory with newer releases, reads the newest few (see
 * `newerReleases`) exactly as the scan reads the installed ones — tarball fetched with its
 * integrity, analysed in worker threads, verdict cached by integrity — and compares each with
 * the installed release, code and registry metadata both. A warm re-run reads every verdict from
 * the assessment cache.
 */
export const checkUpgrades = async (options: UpgradeCheckOptions): Promise<UpgradeCheckResult> => {
  const started = Date.now();
  const depth = options.depth ?? DEFAULT_UPGRADE_DEPTH;
  const warn = options.onWarning ?? (() => {});
  const documents =
    options.documents ?? createDocumentSource({ projectDir: options.projectDir, registry: options.registry });

  const byName = new Map<string, Set<string>>();
  for (const node of options.nodes) {
    if (!eligible(node, documents)) continue;
    const versions = byName.get(node.name) ?? new Set<string>();
    versions.add(node.version);
    byName.set(node.name, versions);
  }

  const planned: Planned[] = [];
  const targets = new Map<string, DepNode>();
  let unavailable = 0;
  let firstError: string | undefined;
  // The plan of a package (releases chosen, metadata compared) is cached with its document: a
  // warm run reads a few hundred bytes per package instead of the document.
  const key = `plan-v${PLAN_VERSION}|depth=${depth}`;
  await Promise.all(
    [...byName].map(async ([name, versions]) => {
      const wanted = [...versions].sort();
      let plans: PackagePlan[] | undefined;
      try {
        plans = await documents.derived(
          name,
          `${key}|${wanted.join(',')}`,
          (document) => planPackage(name, wanted, document, depth),
          isPlanList,
        );
      } catch (error) {
        unavailable++;
        firstError ??= error instanceof Error ? error.message : String(error);
        return;
      }
      for (const plan of plans ?? []) {
        for (const release of plan.releases) {
          const label = `${name}@${release.version}`;
          if (targets.has(label)) continue;
          targets.set(label, {
            id: label,
            name,
            version: release.version,
            source: 'registry',
            dev: false,
            optional: false,
            peer: false,
            bundled: false,
            ...(release.integrity ? { integrity: release.integrity } : {}),
            ...(release.tarball ? { resolved: release.tarball } : {}),
          });
        }
        planned.push({
          node: { name, version: plan.check.installed },
          check: plan.check,
          metadata: new Map(Object.entries(plan.metadata)),
        });
      }
    }),
  );
  if (unavailable > 0)
    warn(
      `upgrade check: the registry document of ${unavailable} package${unavailable === 1 ? '' : 's'} could not be read (${firstError})`,
    );

  const { runAnalysis } = await import('../analysis/run-analysis.js');
  const run =
    targets.size === 0
      ? undefined
      : await runAnalysis({
          nodes: targets.values(),
          projectDir: options.projectDir,
          offline: false,
          registry: options.registry,
          onWarning: warn,
          ...(options.limitMs !== undefined ? { limitMs: options.limitMs } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
          ...(options.cachePath ? { cachePath: options.cachePath } : {}),
          ...(options.poolSize ? { poolSize: options.poolSize } : {}),
        });
  const releases = byLabel(run?.outcomes ?? []);
  const installed = byLabel(options.installed);

  let turned = 0;
  for (const { node, check, metadata } of planned) {
    const base = judged(installed.get(`${node.name}@${node.version}`));
    const notJudged: { version: string; reason: string }[] = [];
    for (const version of check.checked) {
      const outcome = releases.get(`${node.name}@${version}`);
      const code = judged(outcome);
      if (!code) notJudged.push({ version, reason: problemOf(outcome) });
      const verdict = judgeRelease(version, base, code, metadata.get(version) ?? []);
      if (verdict) check.turned.push(verdict);
    }
    if (notJudged.length > 0) check.notJudged = notJudged;
    turned += check.turned.length;
  }

  const packages = planned
    .map((entry) => entry.check)
    .sort((a, b) => a.name.localeCompare(b.name) || a.installed.localeCompare(b.installed));
  return {
    summary: {
      depth,
      packages: packages.length,
      releases: targets.size,
      analysed: run?.summary.analysed ?? 0,
      cached: run?.summary.cached ?? 0,
      turned,
      packagesTurned: packages.filter((check) => check.turned.length > 0).length,
      unavailable,
      durationMs: Date.now() - started,
    },
    packages,
  };
};

/** Bump when the choice of releases, the metadata transitions or their grading change. */
const PLAN_VERSION = 1;

/** What an installed release's check needs from the registry document. */
type PackagePlan = {
  check: UpgradeCheck;
  /** Per checked release, the metadata transitions graded high or critical (the only ones that count). */
  metadata: Record<string, GradedTransition[]>;
  releases: { version: string; integrity?: string; tarball?: string }[];
};

const planPackage = (
  name: string,
  versions: readonly string[],
  document: RegistryDocument,
  depth: number,
): PackagePlan[] => {
  const plans: PackagePlan[] = [];
  for (const installed of versions) {
    const choice = newerReleases(installed, document.releases.keys(), document.latest, depth);
    if (choice.checked.length === 0) continue;
    const check: UpgradeCheck = {
      name,
      installed,
      ...(choice.latest ? { latest: choice.latest } : {}),
      newer: choice.newer,
      checked: choice.checked,
      turned: [],
    };
    const deprecated = choice.latest ? document.releases.get(choice.latest)?.deprecated : undefined;
    if (deprecated !== undefined) check.latestDeprecated = deprecated.slice(0, 300);
    const metadata: Record<string, GradedTransition[]> = {};
    const releases: PackagePlan['releases'] = [];
    for (const version of choice.checked) {
      metadata[version] = gradeTransitions(metadataTransitions(document.raw, installed, version)).filter(
        (change) => change.severity === 'high' || change.severity === 'critical',
      );
      const release = document.releases.get(version);
      releases.push({
        version,
        ...(release?.integrity ? { integrity: release.integrity } : {}),
        ...(release?.tarball ? { tarball: release.tarball } : {}),
      });
    }
    plans.push({ check, metadata, releases });
  }
  return plans;
};

/** A cached plan list as written; our own file, but a damaged one is computed again. */
const isPlanList = (value: unknown): value is PackagePlan[] =>
  Array.isArray(value) &&
  value.every(
    (plan) =>
      typeof plan === 'object' &&
      plan !== null &&
      typeof plan.check?.name === 'string' &&
      typeof plan.check?.installed === 'string' &&
      Array.isArray(plan.check?.checked) &&
      Array.isArray(plan.check?.turned) &&
      typeof plan.metadata === 'object' &&
      plan.metadata !== null &&
      Array.isArray(plan.releases),
  );

/**
 * Registry packages installed from the registry this machine reads, or from a public registry or
 * mirror (which it stands in for, as the tarball client does). A package a lockfile resolved from
 * another host is left out: the same name on our registry may be a different package.
 */
const eligible = (node: DepNode, documents: DocumentSource): boolean => {
  if (isLocalNode(node) || node.source !== 'registry' || node.bundled || node.declaredRange) return false;
  if (node.resolved === undefined) return true;
  const host = hostOf(node.resolved);
  if (host === undefined) return false;
  return (
    PUBLIC_REGISTRY_HOSTS.has(host) || originOf(node.resolved) === originOf(documents.registryOf(node.name))
  );
};

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

const byLabel = (outcomes: readonly TargetOutcome[]): Map<string, TargetOutcome> => {
  const map = new Map<string, TargetOutcome>();
  for (const outcome of outcomes) for (const label of outcome.target.packages) map.set(label, outcome);
  return map;
};

const judged = (outcome: TargetOutcome | undefined): JudgedCode | undefined =>
  outcome?.status === 'analysed' ? outcome.analysis : undefined;

const problemOf = (outcome: TargetOutcome | undefined): string => {
  if (outcome === undefined) return 'not fetched';
  switch (outcome.status) {
    case 'analysed':
      return 'analysed';
    case 'not-analysed':
      return `${outcome.reason}: ${outcome.detail}`;
    case 'failed':
      return `analysis failed: ${outcome.message}`;
    case 'unreadable':
      return `unreadable archive: ${outcome.message}`;
    case 'time-limit':
      return 'analysis time limit';
    case 'integrity-mismatch':
      return `the registry's tarball does not match its integrity (${outcome.actual})`;
  }
};
