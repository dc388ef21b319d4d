/**
 * `bulwark sandbox --format table|json|markdown`. Pure: no I/O. Every string from the sandbox
 * (paths, command lines, host names, DNS names, HTTP targets, phase output) is untrusted and is
 * escaped for the output it lands in.
 */
import type { SandboxReport } from '../types.js';
import { renderSandboxMarkdown } from './render-markdown.js';
import { renderSandboxTable } from './render-table.js';

export type SandboxFormat = 'table' | 'json' | 'markdown';
export const SANDBOX_FORMATS: readonly SandboxFormat[] = ['table', 'json', 'markdown'];

export const renderSandboxReport = (report: SandboxReport, format: SandboxFormat): string => {
  switch (format) {
    case 'table':
      return renderSandboxTable(report);
    case 'json':
      return renderSandboxJson(report);
    case 'markdown':
      return renderSandboxMarkdown(report);
  }
};

/** Keys in reading order; anything not listed follows, alphabetically. */
const KEY_ORDER = [
  'package',
  'verdict',
  'score',
  'findings',
  'network',
  'files',
  'dns',
  'processes',
  'honeytokens',
  'runs',
  'sandbox',
  'rule',
  'kind',
  'severity',
  'confidence',
  'message',
  'evidence',
  'run',
  'name',
  'version',
  'integrity',
  'source',
  'phase',
  'pid',
  'parent',
  'command',
  'script',
  'ofPackage',
  'exit',
  'protocol',
  'host',
  'address',
  'port',
  'literalIp',
  'sni',
  'http',
  'method',
  'target',
  'bytesSent',
  'preview',
  'intercepted',
  'type',
  'resolver',
  'hardCodedResolver',
  'path',
  'operations',
  'sensitive',
  'honeytoken',
  'persistence',
  'outsidePackage',
  'token',
  'encoding',
  'channel',
  'destination',
  'read',
  'exfiltrated',
  'user',
  'hostname',
  'phases',
  'status',
  'startedAt',
  'endedAt',
  'exitCode',
  'signal',
  'lingering',
  'note',
  'stdout',
  'stderr',
  'mode',
  'durationMs',
  'cleanedUp',
  'limits',
  'installMs',
  'importMs',
  'executeMs',
  'lingerMs',
  'actor',
];
const RANK = new Map(KEY_ORDER.map((key, index) => [key, index]));

const ordered = (_key: string, value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort(
    (a, b) => (RANK.get(a) ?? KEY_ORDER.length) - (RANK.get(b) ?? KEY_ORDER.length) || a.localeCompare(b),
  );
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (value as Record<string, unknown>)[key];
  return out;
};

/** The SandboxReport itself, keys in a fixed order, two-space indent. */
export const renderSandboxJson = (report: SandboxReport): string => `${JSON.stringify(report, ordered, 2)}\n`;
