import { describe, expect, it } from 'vitest';
import type { MetadataSignal } from '../../analysis/manifest/metadata-signals.js';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { metadataPatchNewDependency as rule } from './metadata-patch-new-dependency.js';

const adds = (...names: string[]): MetadataSignal => ({
  kind: 'patch-adds-dependencies',
  version: '1.14.1',
  previous: '1.14.0',
  added: names.map((name) => ({ name, spec: '^4.2.1', field: 'dependencies' as const })),
});

const imports = (module: string): CodeFact => ({
  kind: 'import',
  module,
  dynamic: false,
  computed: false,
  at: at('lib/index.js'),
});

const run = (signal: MetadataSignal, code: CodeFact[] = [], name = 'fixture-http') =>
  rule.run(
    packageFacts({ manifest: { name }, metadata: [signal], code, files: [fileStats('lib/index.js')] }),
  );

describe('metadata-patch-new-dependency', () => {
  it('is high/medium for a never-imported look-alike of a popular package (axios → plain-crypto-js)', () => {
    const findings = run(adds('plain-crypto-js'), [imports('follow-redirects')]);
    expect(findings).toMatchObject([
      { kind: 'threat', rule: 'metadata-patch-new-dependency', severity: 'high', confidence: 'medium' },
    ]);
    expect(findings[0]?.message).toContain('imitates "crypto-js"');
  });

  it('is medium/medium for another never-imported dependency, silent once the code names it', () => {
    expect(run(adds('flatmap-stream-fixture'))).toMatchObject([{ severity: 'medium', confidence: 'medium' }]);
    expect(run(adds('flatmap-stream-fixture'), [imports('flatmap-stream-fixture/lib/index.js')])).toEqual([]);
    const required = call('require.resolve', 'filesystem-read', at('lib/index.js'), [
      'flatmap-stream-fixture',
    ]);
    expect(run(adds('flatmap-stream-fixture'), [required])).toEqual([]);
  });

  it('does not claim "never imported" when a source file was not read to the end', () => {
    const withFile = (stats: ReturnType<typeof fileStats>) =>
      rule.run(packageFacts({ metadata: [adds('plain-crypto-js')], files: [fileStats('lib/a.js'), stats] }));
    expect(withFile(fileStats('dist/huge.js', { factsTruncated: true }))).toEqual([]);
    expect(withFile(fileStats('lib/broken.mjs', { parseError: 'syntax error' }))).toEqual([]);
    // Files extraction never parses (README, images, declarations) do not count.
    expect(
      withFile(fileStats('README.md', { parsed: false, parseError: 'not parsed (statistics only)' })),
    ).toHaveLength(1);
    expect(
      withFile(fileStats('index.d.ts', { parsed: false, parseError: 'not parsed (statistics only)' })),
    ).toHaveLength(1);
  });

  it('is silent for popular dependencies, type stubs, the own scope, and without the signal', () => {
    expect(run(adds('tslib', '@types/node'))).toEqual([]);
    const optional = (name: string): MetadataSignal => ({
      kind: 'patch-adds-dependencies',
      version: '0.28.2',
      previous: '0.28.1',
      added: [{ name, spec: '0.28.2', field: 'optionalDependencies' }],
    });
    expect(run(optional('@fixture-esbuild/linux-x64'), [], 'fixture-esbuild')).toEqual([]);
    expect(run(optional('@fixture-img/fixture-esbuild-libvips'), [], 'fixture-esbuild')).toEqual([]);
    expect(run(optional('@fixture-cc/linux-x64'), [], 'fixture-esbuild')).toHaveLength(1);
    // Only optional platform packages: a hijacker's `dependencies` entry may borrow the name.
    expect(run(adds('fixture-esbuild-crypto'), [], 'fixture-esbuild')).toHaveLength(1);
    const mentioned: MetadataSignal = {
      kind: 'patch-adds-dependencies',
      version: '3.1.3',
      previous: '3.1.2',
      added: [
        { name: 'bare-fs', spec: '^4.0.1', field: 'optionalDependencies', mentionedIn: 'package.json' },
      ],
    };
    expect(run(mentioned)).toEqual([]);
    expect(run(adds('@acme/core-fixture'), [], '@acme/http-fixture')).toEqual([]);
    expect(rule.run(packageFacts({ manifest: { name: 'fixture-http' } }))).toEqual([]);
  });
});
