import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DependencyGraph, DepNode } from '../../core/graph.js';
import { indexGraph } from '../../core/graph-ops.js';
import { createContentCache } from '../../registry/content-cache.js';
import { openSandboxVerdicts, type StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';
import { storedVerdict } from '../../sandbox/store/testdata/stored-verdict.js';
import type { CachedOutcome } from './assessment-cache.js';
import { behaviorFindings } from './behavior-findings.js';
import { type AnalysisRunOptions, runAnalysis } from './run-analysis.js';
import { buildTestWorker } from './testdata/build-worker.js';
import { benignPackage, sri, startTarballServer, type TarballServer } from './testdata/packages.js';

let workerUrl: URL;
let server: TarballServer;
let nodes: DepNode[];
let benign: string;
let broken: string;

const registryNode = (name: string, resolved: string, integrity: string): DepNode => ({
  id: `node_modules/${name}`,
  name,
  version: '1.0.0',
  resolved,
  integrity,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

const root: DepNode = { ...registryNode('app', '', ''), id: '', source: 'root' };

const graphOf = (list: DepNode[]) =>
  indexGraph({
    format: 'package-lock',
    file: '/app/package-lock.json',
    nodes: new Map([root, ...list].map((n) => [n.id, n])),
    edges: list.map((n) => ({ from: '', to: n.id, name: n.name, range: '1.0.0', type: 'prod' })),
    roots: [''],
    warnings: [],
  } as unknown as DependencyGraph);

const maliciousVerdict = (name: string, integrity: string): StoredSandboxVerdict =>
  storedVerdict(integrity, {
    name,
    score: 9.2,
    findings: [{ rule: 'exfil-http', severity: 'critical', message: 'POST of ~/.npmrc to c2.invalid' }],
  });

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  server = await startTarballServer();
  const add = await benignPackage('fixture-quiet-add');
  const junk = Buffer.from('not a tarball');
  benign = sri(add);
  broken = sri(junk);
  nodes = [
    registryNode('fixture-quiet-add', server.publish('fixture-quiet-add', '1.0.0', add), benign),
    registryNode('fixture-junk', server.publish('fixture-junk', '1.0.0', junk), broken),
  ];
}, 60_000);

const dirs: string[] = [];
afterAll(() => {
  server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const freshOptions = (): AnalysisRunOptions => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-sandbox-scan-'));
  dirs.push(dir);
  return {
    nodes,
    projectDir: dir,
    offline: false,
    cachePath: join(dir, 'assessments.db'),
    contentCache: createContentCache(join(dir, 'content')),
    workerUrl,
    poolSize: 1,
    limitMs: 20_000,
  };
};

describe('scan with stored sandbox verdicts', () => {
  it('reports a statically clean package malicious once the sandbox found it so, without rewriting the assessment cache', async () => {
    const options = freshOptions();
    const index = graphOf(nodes);
    const before = await runAnalysis(options);
    const quiet = behaviorFindings(before.outcomes, nodes, index).filter(
      (f) => f.package.name === 'fixture-quiet-add',
    );
    expect(quiet).toEqual([]);
    expect(before.summary.verdicts).toMatchObject({ clean: 1, malicious: 0 });

    const store = openSandboxVerdicts(options.cachePath);
    store.put(maliciousVerdict('fixture-quiet-add', benign));
    store.close();

    const after = await runAnalysis(options);
    expect(after.summary).toMatchObject({ cached: 2, verdicts: { clean: 0, malicious: 1 } });
    const findings = behaviorFindings(after.outcomes, nodes, index);
    const finding = findings.find((f) => f.package.name === 'fixture-quiet-add');
    expect(finding).toMatchObject({
      type: 'behavior',
      id: 'sandbox/exfil-http',
      severity: 'critical',
      summary: 'Malicious behaviour (score 9.2/10): bulwark sandbox saw: POST of ~/.npmrc to c2.invalid',
      remediation: { kind: 'remove', dependency: 'fixture-quiet-add' },
      behavior: { verdict: 'malicious', cached: true },
    });
    expect(finding?.behavior?.capabilities).toContain('sandbox-malicious');
    expect(finding?.behavior?.evidence[0]).toMatchObject({ rule: 'sandbox/exfil-http', confidence: 'high' });

    // The static result in the cache is still the static one: the overlay is applied on read.
    const db = new Database(options.cachePath, { readonly: true });
    const rows = db.prepare<[], { outcome: string }>('SELECT outcome FROM assessments').all();
    db.close();
    const statuses = rows.map((row) => JSON.parse(row.outcome) as CachedOutcome);
    expect(statuses.map((o) => (o.status === 'analysed' ? o.analysis.verdict : o.status)).sort()).toEqual([
      'clean',
      'unreadable',
    ]);
  }, 60_000);

  it('reports malicious a package static analysis could not read or did not fetch', async () => {
    const options = freshOptions();
    const store = openSandboxVerdicts(options.cachePath);
    store.put(maliciousVerdict('fixture-junk', broken));
    store.close();
    const index = graphOf(nodes);

    const online = await runAnalysis(options);
    const junk = behaviorFindings(online.outcomes, nodes, index).find(
      (f) => f.package.name === 'fixture-junk',
    );
    expect(junk).toMatchObject({
      id: 'sandbox/exfil-http',
      severity: 'critical',
      behavior: { verdict: 'malicious' },
    });
    expect(junk?.behavior?.evidence.map((e) => e.rule)).toEqual([
      'sandbox/exfil-http',
      'analysis-unreadable-archive',
    ]);

    const offlineOptions = freshOptions();
    const offlineStore = openSandboxVerdicts(offlineOptions.cachePath);
    offlineStore.put(maliciousVerdict('fixture-junk', broken));
    offlineStore.close();
    const offline = await runAnalysis({ ...offlineOptions, offline: true });
    expect(offline.summary.notAnalysed.map((n) => n.name)).toEqual(['fixture-quiet-add']);
    expect(behaviorFindings(offline.outcomes, nodes, index).map((f) => [f.package.name, f.severity])).toEqual(
      [['fixture-junk', 'critical']],
    );
  }, 60_000);
});
