import { describe, expect, it } from 'vitest';
import type { PackageAnalysis } from '../../analysis/analyze.js';
import type { DependencyGraph, DepNode } from '../../core/graph.js';
import { indexGraph } from '../../core/graph-ops.js';
import { behaviorFindings } from './behavior-findings.js';
import type { TargetOutcome } from './run-analysis.js';

const node = (name: string, over: Partial<DepNode> = {}): DepNode => ({
  id: `node_modules/${name}`,
  name,
  version: '1.0.0',
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
  ...over,
});

const root: DepNode = { ...node('app'), id: '', source: 'root' };
const nodes = [node('direct-bad'), node('deep-odd', { dev: true }), node('fine'), node('slow'), node('twin')];
const graph = {
  format: 'package-lock',
  file: '/app/package-lock.json',
  nodes: new Map([root, ...nodes].map((n) => [n.id, n])),
  edges: [
    { from: '', to: 'node_modules/direct-bad', name: 'direct-bad', range: '1.0.0', type: 'prod' },
    {
      from: 'node_modules/direct-bad',
      to: 'node_modules/deep-odd',
      name: 'deep-odd',
      range: '1',
      type: 'prod',
    },
    { from: '', to: 'node_modules/fine', name: 'fine', range: '1', type: 'prod' },
    { from: '', to: 'node_modules/slow', name: 'slow', range: '1', type: 'prod' },
    { from: '', to: 'node_modules/twin', name: 'twin', range: '1', type: 'prod' },
  ],
  roots: [''],
  warnings: [],
} as unknown as DependencyGraph;

const analysis = (verdict: PackageAnalysis['verdict'], score: number): PackageAnalysis => ({
  name: 'x',
  version: '1.0.0',
  verdict,
  score,
  capabilities: ['network'],
  findings: [
    { rule: 'network-raw-ip', kind: 'threat', severity: 'medium', confidence: 'low', message: 'raw ip' },
    {
      rule: 'install-script-download-exec',
      kind: 'threat',
      severity: 'critical',
      confidence: 'high',
      message: 'curl | sh',
    },
    {
      rule: 'install-script-present',
      kind: 'capability',
      severity: 'low',
      confidence: 'high',
      message: 'has postinstall',
    },
  ],
  analyzer: '0.1.0',
  problems: [],
  complete: true,
});

const target = (key: string, ...packages: string[]) => ({
  key,
  name: packages[0]!.split('@')[0]!,
  version: '1.0.0',
  packages,
});

describe('behaviorFindings', () => {
  it('maps verdicts and problems to findings, one per package sharing the bytes; clean yields none', () => {
    const outcomes: TargetOutcome[] = [
      {
        target: target('a', 'direct-bad@1.0.0', 'twin@1.0.0'),
        cached: false,
        status: 'analysed',
        analysis: analysis('malicious', 9.5),
      },
      {
        target: target('b', 'deep-odd@1.0.0'),
        cached: true,
        status: 'analysed',
        analysis: analysis('suspicious', 5),
      },
      {
        target: target('c', 'fine@1.0.0'),
        cached: false,
        status: 'analysed',
        analysis: analysis('clean', 0),
      },
      { target: target('d', 'slow@1.0.0'), cached: false, status: 'time-limit', limitMs: 2500 },
      {
        target: target('e', 'gone@1.0.0'),
        cached: false,
        status: 'not-analysed',
        reason: 'offline',
        detail: 'x',
      },
    ];
    const findings = behaviorFindings(outcomes, nodes, indexGraph(graph));
    expect(findings.map((f) => `${f.package.name}:${f.id}:${f.severity}`)).toEqual([
      'direct-bad:install-script-download-exec:critical',
      'twin:install-script-download-exec:critical',
      'deep-odd:install-script-download-exec:medium',
      'slow:analysis-time-limit:medium',
    ]);
    const [bad, , odd, slow] = findings;
    expect(bad).toMatchObject({
      type: 'behavior',
      aliases: ['network-raw-ip'],
      direct: true,
      remediation: { kind: 'remove', dependency: 'direct-bad' },
      behavior: { verdict: 'malicious', score: 9.5, cached: false },
    });
    // strongest threat first, capabilities after threats
    expect(bad!.behavior!.evidence.map((e) => e.rule)).toEqual([
      'install-script-download-exec',
      'network-raw-ip',
      'install-script-present',
    ]);
    expect(odd).toMatchObject({
      direct: false,
      devOnly: true,
      paths: [['app', 'direct-bad@1.0.0', 'deep-odd@1.0.0']],
      remediation: { kind: 'none' },
      behavior: { verdict: 'suspicious', cached: true },
    });
    expect(slow!.summary).toContain('2.5 s per-package time limit');
    expect(slow!.behavior).toMatchObject({ problem: 'time-limit', evidence: [] });
  });
});

describe('behaviorFindings on a partly read archive', () => {
  it('a clean verdict on an archive read only in part is a finding, not silence', () => {
    const partial: PackageAnalysis = {
      ...analysis('clean', 0),
      findings: [],
      complete: false,
      problems: [{ kind: 'limit', limit: 'ratio', message: 'compression ratio above 200' }],
    };
    const outcomes: TargetOutcome[] = [
      { target: target('f', 'fine@1.0.0'), cached: false, status: 'analysed', analysis: partial },
    ];
    const [finding, ...rest] = behaviorFindings(outcomes, nodes, indexGraph(graph));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: 'analysis-incomplete-archive',
      severity: 'medium',
      behavior: { problem: 'incomplete' },
    });
    expect(finding!.summary).toContain('compression ratio above 200');
  });
});
