import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDecisionLog } from '../../src/firewall/decision-log.js';
import { startFirewall } from '../../src/firewall/server/start-firewall.js';
import type { DecisionRecord, Firewall, FirewallLimits } from '../../src/firewall/types.js';
import { openWaiverStore } from '../../src/firewall/waiver-store.js';
import { importOsv } from '../../src/intel/import.js';
import { parseFirewallPolicy } from '../../src/policy/firewall/load.js';
import { buildTestWorker } from '../../src/scan/analysis/testdata/build-worker.js';
import { openStore } from '../../src/store/open-store.js';
import type { AdvisoryStore } from '../../src/store/store.js';
import { FIXTURES, type FixtureSet, firewallPolicyYaml, publishFixtures } from './firewall-fixtures.js';
import { startUpstreamRegistry, type UpstreamRegistry } from './upstream-registry.js';

const repoRoot = join(import.meta.dirname, '../..');

/** The real advisories the vulnerable fixture matches, from the repository's OSV test data. */
export const ADVISORY_FILES = [
  join(repoRoot, 'testdata/osv/npm/GHSA-xvch-5gv4-984h.json'),
  join(repoRoot, 'testdata/osv/npm/GHSA-vh95-rmgr-6w4m.json'),
];

export type Harness = {
  /** Scratch space for projects and client homes; removed by close(). */
  dir: string;
  upstream: UpstreamRegistry;
  fixtures: FixtureSet;
  firewall: Firewall;
  /** The firewall's URL with a trailing slash, as clients want it. */
  registry: string;
  policyFile: string;
  store: AdvisoryStore;
  decisions: DecisionRecord[];
  /** What the firewall warned about (its onWarning), in order. */
  warnings: string[];
  /** A fresh directory under `dir`. */
  tempDir: (prefix: string) => string;
  close: () => Promise<void>;
};

let worker: Promise<URL> | undefined;

/** Closes a test file's harness, failing if any request through the firewall was an internal error. */
export const closeHarness = async (harness: Harness | undefined): Promise<void> => {
  expect(harness?.warnings.filter((w) => w.includes('internal error')) ?? []).toEqual([]);
  await harness?.close();
};

/**
 * A loopback upstream with the fixture packages, an intel database with real advisories, and the
 * firewall in front of it with the test policy. Analysis on unless `analysis: false`.
 */
export const startHarness = async (
  options: {
    analysis?: boolean;
    limits?: Partial<FirewallLimits>;
    onWarning?: (message: string) => void;
    /** The policy file's text; the fixtures' policy by default. */
    policy?: string;
    /** Turns the admin API on with this token, with a decision log and waiver store in the scratch dir. */
    adminToken?: string;
  } = {},
): Promise<Harness> => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-fw-e2e-'));
  const upstream = await startUpstreamRegistry();
  const fixtures = await publishFixtures(upstream);
  const policyFile = join(dir, 'firewall.yaml');
  const policyText = options.policy ?? firewallPolicyYaml;
  writeFileSync(policyFile, policyText);
  const policy = parseFirewallPolicy(policyText, policyFile);
  const store = await openStore(join(dir, 'intel.db'));
  for (const file of ADVISORY_FILES) await importOsv(store, file);
  const warnings: string[] = [];
  const analysis = options.analysis !== false;
  if (analysis) worker ??= buildTestWorker();
  const internals = {
    ...(analysis ? { workerUrl: await worker } : {}),
    onWarning: (message: string) => {
      warnings.push(message);
      options.onWarning?.(message);
    },
  };
  const admin = options.adminToken
    ? {
        adminToken: options.adminToken,
        decisionLog: openDecisionLog(join(dir, 'data', 'decisions.db')),
        waivers: openWaiverStore(join(dir, 'data', 'waivers.db')),
      }
    : undefined;
  const firewall = await startFirewall(
    {
      ...admin,
      upstream: upstream.url,
      policy,
      port: 0,
      dataDir: join(dir, 'data'),
      store,
      // A generous limit: a loaded machine must not turn a verdict into checkFailed.
      analysis: analysis ? { workers: 1, limitMs: 60_000 } : false,
      ...(options.limits ? { limits: options.limits } : {}),
    },
    internals,
  );
  const decisions: DecisionRecord[] = [];
  firewall.onDecision((d) => decisions.push(d));
  let n = 0;
  return {
    dir,
    upstream,
    fixtures,
    firewall,
    registry: `${firewall.url}/`,
    policyFile,
    store,
    decisions,
    warnings,
    tempDir: (prefix) => {
      const path = join(dir, `${prefix}-${++n}`);
      mkdirSync(path, { recursive: true });
      return path;
    },
    close: async () => {
      await firewall.close();
      await upstream.close();
      store.close();
      admin?.decisionLog.close();
      admin?.waivers.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A project directory with a package.json (and optionally more files), plus a client home beside it. */
export const makeProject = (
  harness: Harness,
  label: string,
  files: Record<string, string> = {},
): { project: string; home: string } => {
  const root = harness.tempDir(label);
  const project = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(project);
  mkdirSync(home);
  writeFileSync(
    join(project, 'package.json'),
    files['package.json'] ??
      `${JSON.stringify({ name: `fw-e2e-${label}`, version: '1.0.0', private: true }, null, 2)}\n`,
  );
  for (const [name, content] of Object.entries(files)) {
    if (name !== 'package.json') writeFileSync(join(project, name), content);
  }
  return { project, home };
};

export { FIXTURES };
