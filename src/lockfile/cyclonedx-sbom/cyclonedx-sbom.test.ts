import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import type { LockfileInput } from '../types.js';
import { cyclonedxSbomParser } from './cyclonedx-sbom.js';

const here = dirname(fileURLToPath(import.meta.url));
const input = (content: string, path = '/virtual/bom.json'): LockfileInput => ({
  path,
  content,
  readSibling: () => undefined,
});
const fixture = (name: string) => {
  const path = join(here, 'testdata', name);
  return cyclonedxSbomParser.parse(input(readFileSync(path, 'utf8'), path));
};
const edges = (graph: DependencyGraph) =>
  graph.edges.map((edge) => `${edge.from} -> ${edge.to} (${edge.type})`).sort();

describe('cyclonedxSbomParser', () => {
  it.each([
    ['bom.json', true],
    ['sbom.json', true],
    ['app.cdx.json', true],
    ['App.CycloneDX.json', true],
    ['package.json', false],
    ['bom.xml', false],
  ])('matches %s: %s', (name, expected) => {
    expect(cyclonedxSbomParser.matches(name)).toBe(expected);
  });

  it('reads nested components, npm purls only, scopes, hashes and the dependency graph', () => {
    const graph = fixture('nested-components.cdx.json');
    expect(graph.format).toBe('cyclonedx');
    expect(graph.formatVersion).toBe('1.5');
    expect(graph.roots).toEqual(['.']);
    expect(graph.nodes.get('.')).toMatchObject({ name: '@acme/shop', version: '3.0.0', source: 'root' });
    const nodes = [...graph.nodes.values()]
      .filter((node) => node.id !== '.')
      .map((node) => `${node.id} ${node.source}${node.dev ? ' dev' : ''}${node.optional ? ' optional' : ''}`)
      .sort();
    expect(nodes).toEqual([
      '@types/node@20.19.0 registry dev',
      'body-parser@1.20.3 registry',
      'express@4.21.2 registry',
      'from-git@1.0.0 git',
      'fsevents@2.3.3 registry optional',
      'vitest@4.1.0 registry dev',
    ]);
    expect(graph.nodes.get('express@4.21.2')!.integrity).toBe(
      `sha512-${Buffer.from('00112233445566778899aabbccddeeff'.repeat(4), 'hex').toString('base64')}`,
    );
    expect(graph.nodes.get('from-git@1.0.0')!.resolved).toBe(
      'git+https://git.example.invalid/org/from-git.git',
    );
    expect(edges(graph)).toEqual([
      '. -> @types/node@20.19.0 (dev)',
      '. -> express@4.21.2 (prod)',
      '. -> from-git@1.0.0 (prod)',
      '. -> fsevents@2.3.3 (optional)',
      '. -> vitest@4.1.0 (dev)',
      'express@4.21.2 -> body-parser@1.20.3 (prod)',
      'vitest@4.1.0 -> @types/node@20.19.0 (dev)',
    ]);
    expect(graph.warnings).toEqual([
      '2 dependsOn reference(s) name no npm component and were ignored',
      '1 component(s) with a non-npm purl were ignored',
      '1 component(s) without a purl were ignored',
    ]);
  });

  it('hangs every component off the root when there is no dependency graph', () => {
    const graph = fixture('no-dependency-graph.cdx.json');
    expect(graph.formatVersion).toBe('1.2');
    expect(graph.nodes.get('.')).toMatchObject({ name: '', source: 'root' });
    expect(edges(graph)).toEqual(['. -> chalk@5.3.0 (dev)', '. -> left-pad@1.3.0 (prod)']);
    expect(graph.warnings).toEqual([]);
  });

  it.each(['Spec1dot2', 'Spec1dot3', 'Spec1dot4', 'Spec1dot5', 'Spec1dot6', 'Spec1dot7'] as const)(
    'reads an SBOM written by @cyclonedx/cyclonedx-library for %s',
    (specName) => {
      const bom = new CDX.Models.Bom();
      const root = new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'demo', {
        bomRef: 'root-ref',
        version: '1.0.0',
      });
      bom.metadata.component = root;
      const lib = new CDX.Models.Component(CDX.Enums.ComponentType.Library, 'real', {
        group: '@scope',
        version: '2.1.0',
        bomRef: 'lib-ref',
      });
      lib.purl = new PackageURL('npm', '@scope', 'real', '2.1.0', undefined, undefined).toString();
      lib.hashes.set(CDX.Enums.HashAlgorithm['SHA-512'], 'ab'.repeat(64));
      const nested = new CDX.Models.Component(CDX.Enums.ComponentType.Library, 'inner', {
        version: '0.1.0',
        bomRef: 'inner-ref',
      });
      nested.purl = new PackageURL('npm', undefined, 'inner', '0.1.0', undefined, undefined).toString();
      lib.components.add(nested);
      lib.dependencies.add(nested.bomRef);
      bom.components.add(lib);
      root.dependencies.add(lib.bomRef);
      const spec = CDX.Spec[specName];
      const text = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(spec)).serialize(
        bom,
      );

      const graph = cyclonedxSbomParser.parse(input(text));
      expect(graph.formatVersion).toBe(spec.version);
      expect(edges(graph)).toEqual([
        '. -> @scope/real@2.1.0 (prod)',
        '@scope/real@2.1.0 -> inner@0.1.0 (prod)',
      ]);
      expect(graph.nodes.get('@scope/real@2.1.0')!.integrity).toBe(
        `sha512-${Buffer.from('ab'.repeat(64), 'hex').toString('base64')}`,
      );
    },
  );

  it.each([
    ['{"bomFormat": "SPDX"}', /bomFormat must be "CycloneDX", got "SPDX"/],
    ['{"specVersion": "1.5"}', /bomFormat must be "CycloneDX", got nothing/],
    ['{"bomFormat": "CycloneDX", "specVersion": "2.0"}', /unsupported CycloneDX specVersion "2\.0"/],
    ['{"bomFormat": "CycloneDX", "specVersion": 1.5}', /specVersion must be a string/],
    ['{"bomFormat": "CycloneDX", "components": {}}', /components must be an array/],
    [
      '{"bomFormat": "CycloneDX", "components": [{"name": "a", "purl": 5}]}',
      /components\[0\]\.purl must be a string/,
    ],
    [
      '{"bomFormat": "CycloneDX", "components": [{"name": "a", "purl": "npm/a@1"}]}',
      /components\[0\]\.purl is not a valid purl/,
    ],
    [
      '{"bomFormat": "CycloneDX", "components": [{"name": "a", "components": [{"name": "b", "version": 2}]}]}',
      /components\[0\]\.components\[0\]\.version must be a string/,
    ],
    [
      '{"bomFormat": "CycloneDX", "components": [{"name": "a", "scope": "dev"}]}',
      /scope must be required, optional or excluded/,
    ],
    [
      '{"bomFormat": "CycloneDX", "components": [{"name": "a", "hashes": [{"alg": "SHA-512", "content": "zz"}]}]}',
      /hashes\[0\]\.content is not a SHA-512 hex digest/,
    ],
    ['{"bomFormat": "CycloneDX", "dependencies": [{"ref": 1}]}', /dependencies\[0\]\.ref must be a string/],
    [
      '{"bomFormat": "CycloneDX", "dependencies": [{"ref": "a", "dependsOn": "b"}]}',
      /dependencies\[0\]\.dependsOn must be an array/,
    ],
    [
      '{"bomFormat": "CycloneDX", "metadata": {"component": {"name": 3}}}',
      /metadata\.component\.name must be a string/,
    ],
    // A "__proto__" key is refused; the same text as a value is ordinary data (READMEs quote it).
    ['{"bomFormat": "CycloneDX", "components": [{"name": "a", "__proto__": {"x": 1}}]}', /__proto__/],
    ['{"bomFormat": "CycloneDX", "components": [', /invalid JSON/],
  ])('rejects %s with an InputError naming the file', (content, message) => {
    const run = () => cyclonedxSbomParser.parse(input(content));
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
    expect(run).toThrow(/^\/virtual\/bom\.json/);
  });
});
