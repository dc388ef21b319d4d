import { describe, expect, it } from 'vitest';
import type { DepNode } from '../../core/graph.js';
import { planAnalysis, targetKey } from './plan.js';

const node = (over: Partial<DepNode> & Pick<DepNode, 'name' | 'version'>): DepNode => ({
  id: `${over.name}@${over.version}`,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
  ...over,
});

const SHA512 = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
const SHA1 = `sha1-${Buffer.alloc(20, 9).toString('base64')}`;

describe('planAnalysis', () => {
  it('plans registry and remote tarball nodes; lists local, git, bundled and range-only ones with the reason', () => {
    const plan = planAnalysis([
      node({ name: 'app', version: '1.0.0', source: 'root' }),
      node({ name: 'member', version: '1.0.0', source: 'workspace' }),
      node({ name: 'linked', version: '1.0.0', source: 'link' }),
      node({
        name: 'from-git',
        version: '1.0.0',
        source: 'git',
        resolved: 'git+ssh://git@example.invalid/x.git',
      }),
      node({ name: 'inner', version: '1.0.0', bundled: true }),
      node({ name: 'ranged', version: '^1.0.0', declaredRange: true }),
      node({ name: 'local-tgz', version: '1.0.0', source: 'tarball', resolved: 'file:vendor/x.tgz' }),
      node({
        name: 'remote-tgz',
        version: '1.0.0',
        source: 'tarball',
        resolved: 'https://example.invalid/x.tgz',
      }),
      node({
        name: 'lodash',
        version: '4.17.21',
        integrity: SHA512,
        resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz',
      }),
    ]);
    expect(plan.targets.map((t) => t.name).sort()).toEqual(['lodash', 'remote-tgz']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.name, s.reason]))).toEqual({
      app: 'local',
      member: 'local',
      linked: 'local',
      'from-git': 'git',
      inner: 'bundled',
      ranged: 'declared-range',
      'local-tgz': 'no-tarball',
    });
  });

  it('analyses the same bytes once: nodes sharing an integrity share a target', () => {
    const plan = planAnalysis([
      node({ id: 'a', name: 'alias-a', version: '1.0.0', integrity: SHA512 }),
      node({ id: 'b', name: 'alias-b', version: '1.0.0', integrity: SHA512 }),
      node({ id: 'c', name: 'alias-a', version: '1.0.0', integrity: SHA512 }),
    ]);
    expect(plan.targets).toHaveLength(1);
    expect(plan.targets[0]!.packages).toEqual(['alias-a@1.0.0', 'alias-b@1.0.0']);
  });

  it('keys by the strongest well-formed hash, else by coordinates; a malformed integrity is dropped', () => {
    expect(targetKey({ name: 'x', version: '1.0.0', integrity: `${SHA1} ${SHA512}` })).toBe(
      `sha512:${Buffer.alloc(64, 7).toString('hex')}`,
    );
    expect(targetKey({ name: 'x', version: '1.0.0', integrity: 'sha512-short' })).toBe('x@1.0.0');
    const plan = planAnalysis([node({ name: 'x', version: '1.0.0', integrity: 'sha512-short' })]);
    expect(plan.targets[0]!.integrity).toBeUndefined();
  });

  it('a node that is bundled in one place and installed from the registry in another is analysed', () => {
    const plan = planAnalysis([
      node({ id: 'p/node_modules/x', name: 'x', version: '1.0.0', bundled: true }),
      node({ id: 'x', name: 'x', version: '1.0.0', integrity: SHA512 }),
    ]);
    expect(plan.targets).toHaveLength(1);
    expect(plan.skipped).toEqual([]);
  });
});
