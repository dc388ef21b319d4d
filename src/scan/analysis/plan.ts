import { type DepNode, isLocalNode } from '../../core/graph.js';
import type { NotAnalysed } from '../../core/scan-result.js';
import { parseIntegrity } from '../../registry/content-cache.js';

/** One tarball to analyse, shared by every inventory node that resolves to the same bytes. */
export type AnalysisTarget = {
  /** The strongest hash of the integrity when the lockfile has one, else `name@version resolved`. */
  key: string;
  name: string;
  version: string;
  integrity?: string;
  resolved?: string;
  /** `name@version` of every inventory package that uses these bytes. */
  packages: string[];
};

export type AnalysisPlan = { targets: AnalysisTarget[]; skipped: NotAnalysed[] };

/**
 * Which inventory nodes get their code read: registry packages and remote tarballs. Local code
 * (root, workspaces, links, directories), git sources and bundled copies are listed as not
 * analysed, with the reason, so a report never implies they were checked.
 */
export const planAnalysis = (nodes: Iterable<DepNode>): AnalysisPlan => {
  const targets = new Map<string, AnalysisTarget>();
  const skipped = new Map<string, NotAnalysed>();
  for (const node of nodes) {
    const label = `${node.name}@${node.version}`;
    const reason = skipReason(node);
    if (reason !== undefined) {
      if (!skipped.has(label)) skipped.set(label, { name: node.name, version: node.version, reason });
      continue;
    }
    const key = targetKey(node);
    const existing = targets.get(key);
    if (existing) {
      if (!existing.packages.includes(label)) existing.packages.push(label);
      continue;
    }
    const target: AnalysisTarget = { key, name: node.name, version: node.version, packages: [label] };
    if (node.integrity !== undefined && parseIntegrity(node.integrity).length > 0)
      target.integrity = node.integrity;
    if (node.resolved !== undefined) target.resolved = node.resolved;
    targets.set(key, target);
  }
  for (const target of targets.values()) for (const label of target.packages) skipped.delete(label);
  return {
    targets: [...targets.values()].sort((a, b) => a.key.localeCompare(b.key)),
    skipped: [...skipped.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
    ),
  };
};

const skipReason = (node: DepNode): NotAnalysed['reason'] | undefined => {
  if (isLocalNode(node) || node.source === 'directory' || node.source === 'link') return 'local';
  if (node.source === 'git') return 'git';
  if (node.bundled) return 'bundled';
  if (node.declaredRange) return 'declared-range';
  if (node.source === 'tarball' && !isHttpUrl(node.resolved)) return 'no-tarball';
  return undefined;
};

/** The strongest well-formed hash names the bytes; without one, the lockfile's coordinates do. */
export const targetKey = (node: Pick<DepNode, 'name' | 'version' | 'integrity' | 'resolved'>): string => {
  const strongest = node.integrity === undefined ? undefined : parseIntegrity(node.integrity)[0];
  if (strongest) return `${strongest.algorithm}:${strongest.hex}`;
  return `${node.name}@${node.version} ${node.resolved ?? ''}`.trimEnd();
};

const isHttpUrl = (value: string | undefined): boolean => value !== undefined && /^https?:\/\//i.test(value);
