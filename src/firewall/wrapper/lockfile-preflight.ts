import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isInputError } from '../../core/errors.js';
import { loadInventory } from '../../inventory/load-inventory.js';
import { unscopedName } from '../registry/document.js';

/** A registry package a lockfile pins by URL. */
export type LockedTarball = { name: string; version: string; resolved: string };

export type PreflightOutcome = {
  checked: number;
  /** Tarballs the firewall refused (403), or could not produce (any other failure). */
  refused: { name: string; version: string; status: number; message: string }[];
};

/**
 * The registry tarballs a Yarn classic `yarn.lock` in `dir` pins at a host other than the
 * firewall's. Yarn classic fetches those URLs as written, whatever registry it is given, so
 * they would reach the client without passing the firewall. Empty without a Yarn classic lockfile.
 */
export const lockedTarballsBypassing = (dir: string, firewallUrl: string): LockedTarball[] => {
  if (!existsSync(join(dir, 'yarn.lock'))) return [];
  let graph: ReturnType<typeof loadInventory>['graph'];
  try {
    graph = loadInventory({ lockfile: join(dir, 'yarn.lock') }).graph;
  } catch (error) {
    // Yarn itself reports a broken lockfile; the firewall still sees whatever it fetches.
    if (isInputError(error)) return [];
    throw error;
  }
  if (graph.format !== 'yarn-classic') return [];
  const firewallHost = new URL(firewallUrl).host;
  const out: LockedTarball[] = [];
  for (const node of graph.nodes.values()) {
    if (node.source !== 'registry' || node.resolved === undefined) continue;
    let host: string;
    try {
      const url = new URL(node.resolved);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
      host = url.host;
    } catch {
      continue;
    }
    if (host !== firewallHost) out.push({ name: node.name, version: node.version, resolved: node.resolved });
  }
  return out;
};

/**
 * Asks the firewall for each tarball (through `registry`, the run's session-prefixed URL, so the
 * decisions count in the run's summary) before the client runs. The firewall fetches, verifies and
 * decides each one as it would for the client; the bodies are read and dropped.
 */
export const preflightTarballs = async (
  registry: string,
  tarballs: readonly LockedTarball[],
  options: { concurrency?: number; timeoutMs?: number; userAgent?: string } = {},
): Promise<PreflightOutcome> => {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const refused: PreflightOutcome['refused'] = [];
  const queue = [...tarballs];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const url = `${base}${next.name}/-/${unscopedName(next.name)}-${next.version}.tgz`;
      try {
        const response = await fetch(url, {
          headers: { 'user-agent': options.userAgent ?? 'bulwark-preflight' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        });
        if (response.ok) {
          await response.body?.pipeTo(new WritableStream());
          continue;
        }
        const text = await response.text();
        refused.push({
          name: next.name,
          version: next.version,
          status: response.status,
          message: errorOf(text),
        });
      } catch (error) {
        refused.push({
          name: next.name,
          version: next.version,
          status: 0,
          message: (error as Error).message,
        });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 6, tarballs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { checked: tarballs.length, refused };
};

const errorOf = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {}
  return body.slice(0, 200);
};
