import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { PackageAnalysis } from '../analysis/analyze.js';
import type { BehaviorFinding } from '../analysis/types.js';
import type { Severity } from '../core/severity.js';
import { RULES } from '../rules/index.js';
import { safeHttpUrl } from './advisory-links.js';
import { plainLine } from './plain-text.js';
import { SARIF_SCHEMA_URI } from './sarif.js';
import { truncate } from './terminal-text.js';

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  unknown: 'warning',
  low: 'note',
  none: 'note',
};

const SECURITY_SEVERITY: Record<Severity, number> = {
  critical: 9.5,
  high: 8,
  medium: 5.5,
  unknown: 5.5,
  low: 2,
  none: 0,
};

/** Evidence comes from package code: one line, bounded, before it goes into a document. */
const MESSAGE_LIMIT = 1000;

export const renderInspectionSarif = (analysis: PackageAnalysis, toolVersion: string): string =>
  `${JSON.stringify(buildInspectionSarif(analysis, toolVersion), null, 2)}\n`;

/**
 * `bulwark inspect` as SARIF: one result per rule finding, located in the package's own files
 * (relative to the package root, `%SRCROOT%` being the inspected package). The verdict, score and
 * capabilities are run properties.
 */
export const buildInspectionSarif = (analysis: PackageAnalysis, toolVersion: string): Log => {
  const ids = [...new Set(analysis.findings.map((finding) => finding.rule))].sort();
  const ruleIndex = new Map(ids.map((id, index) => [id, index]));
  const label = `${analysis.name || '(unnamed)'}@${analysis.version || '?'}`;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bulwark',
            version: toolVersion,
            semanticVersion: toolVersion,
            rules: ids.map((id) => buildRule(id, analysis.findings)),
          },
        },
        invocations: [{ executionSuccessful: true }],
        results: analysis.findings.map((finding) =>
          buildResult(finding, ruleIndex.get(finding.rule)!, label),
        ),
        properties: {
          package: { name: analysis.name, version: analysis.version },
          ...(analysis.integrity ? { integrity: analysis.integrity } : {}),
          verdict: analysis.verdict,
          score: analysis.score,
          capabilities: analysis.capabilities,
          analyzer: analysis.analyzer,
          complete: analysis.complete,
          problems: analysis.problems.map((problem) => ({ ...problem, message: plainLine(problem.message) })),
        },
      },
    ],
  };
};

const buildRule = (id: string, findings: readonly BehaviorFinding[]): ReportingDescriptor => {
  const meta = RULES.find((rule) => rule.id === id)?.meta;
  const mine = findings.filter((finding) => finding.rule === id);
  const worst = mine.reduce<Severity>(
    (acc, f) => (SECURITY_SEVERITY[f.severity] > SECURITY_SEVERITY[acc] ? f.severity : acc),
    'none',
  );
  const description = meta?.description ?? id;
  const helpUri = meta?.references.map(safeHttpUrl).find((url) => url !== undefined);
  return {
    id,
    shortDescription: { text: description },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[worst] },
    properties: {
      'security-severity': SECURITY_SEVERITY[worst].toFixed(1),
      tags: ['security', 'behavior', mine[0]!.kind, ...(meta ? [meta.category] : [])],
    },
  };
};

const buildResult = (finding: BehaviorFinding, ruleIndex: number, label: string): Result => {
  const result: Result = {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${label}: ${truncate(plainLine(finding.message), MESSAGE_LIMIT)}` },
    partialFingerprints: {
      'bulwark/behavior/v1': createHash('sha256')
        .update([label, finding.rule, finding.file ?? '', finding.message].join('\n'))
        .digest('hex'),
    },
    properties: {
      kind: finding.kind,
      severity: finding.severity,
      confidence: finding.confidence,
      ...(finding.source ? { source: finding.source } : {}),
      ...(finding.sink ? { sink: finding.sink } : {}),
    },
  };
  if (finding.file) {
    result.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(finding.file), uriBaseId: '%SRCROOT%' },
          ...(finding.line !== undefined && finding.line >= 1
            ? {
                region: {
                  startLine: finding.line,
                  ...(finding.column !== undefined && finding.column >= 1
                    ? { startColumn: finding.column }
                    : {}),
                  ...(finding.excerpt
                    ? { snippet: { text: truncate(plainLine(finding.excerpt), MESSAGE_LIMIT) } }
                    : {}),
                },
              }
            : {}),
        },
      },
    ];
  }
  return result;
};

/** A relative URI reference for a path inside the package; every segment percent-encoded. */
const fileUri = (path: string): string =>
  path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map(encodeURIComponent)
    .join('/');
