import type { MetadataSignal } from '../analysis/manifest/metadata-signals.js';
import type { CodeFact, FileStats, Location, ManifestFacts, PackageFacts } from '../analysis/types.js';

/** Builders for hand-made PackageFacts in rule tests. */

export const at = (file: string, line = 1, column = 1): Location => ({ file, line, column });

export const manifest = (overrides: Partial<ManifestFacts> = {}): ManifestFacts => ({
  name: 'fixture-package',
  version: '1.0.0',
  installScripts: {},
  remoteDependencies: [],
  bin: {},
  ...overrides,
});

export const fileStats = (file: string, overrides: Partial<FileStats> = {}): FileStats => ({
  file,
  bytes: 100,
  lines: 10,
  maxLineLength: 40,
  entropy: 4.5,
  parsed: true,
  minified: false,
  ...overrides,
});

export const packageFacts = (
  input: {
    manifest?: Partial<ManifestFacts>;
    files?: FileStats[];
    code?: CodeFact[];
    metadata?: MetadataSignal[];
  } = {},
): PackageFacts => {
  const code = input.code ?? [];
  const files = input.files ?? [...new Set(code.map((fact) => fact.at.file))].map((file) => fileStats(file));
  const facts: PackageFacts = { manifest: manifest(input.manifest), files, code };
  if (input.metadata) facts.metadata = input.metadata;
  return facts;
};

/** A full registry document (packument) for `name`, one entry per version manifest. */
export const packument = (
  name: string,
  versions: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name,
  'dist-tags': { latest: Object.keys(versions).at(-1) },
  versions: Object.fromEntries(
    Object.entries(versions).map(([version, doc]) => [version, { name, version, ...doc }]),
  ),
  ...extra,
});

export const call = (
  api: string,
  category: Extract<CodeFact, { kind: 'call' }>['category'],
  where: Location,
  args: string[] = [],
): CodeFact => ({ kind: 'call', api, category, args, at: where });

export const str = (
  value: string,
  where: Location,
  decodedFrom?: Extract<CodeFact, { kind: 'string' }>['decodedFrom'],
): CodeFact =>
  decodedFrom ? { kind: 'string', value, decodedFrom, at: where } : { kind: 'string', value, at: where };

export const url = (value: string, where: Location): CodeFact => ({
  kind: 'url',
  value,
  host: new URL(value).hostname,
  at: where,
});

export const flow = (from: CodeFact, to: CodeFact): CodeFact => ({ kind: 'flow', from, to, at: to.at });
