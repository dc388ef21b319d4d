import { describe, expect, it } from 'vitest';
import type { DepNode } from '../core/graph.js';
import { classifyChanges, pairVersions } from './classify.js';

const node = (name: string, version: string, over: Partial<DepNode> = {}): DepNode => ({
  id: `${name}@${version}`,
  name,
  version,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
  integrity: `sha512-${name}-${version}`,
  ...over,
});

const summary = (base: DepNode[], head: DepNode[]) =>
  classifyChanges(base, head).map((c) =>
    c.kind === 'added'
      ? `+ ${c.name} ${c.to.version}`
      : c.kind === 'removed'
        ? `- ${c.name} ${c.from.version}`
        : `${c.kind} ${c.name} ${c.from.version} → ${c.to.version}`,
  );

describe('classifyChanges', () => {
  it('finds additions, removals, upgrades and downgrades, and leaves unchanged versions out', () => {
    const base = [node('same', '1.0.0'), node('up', '1.0.0'), node('down', '2.1.0'), node('gone', '0.1.0')];
    const head = [node('same', '1.0.0'), node('up', '1.2.0'), node('down', '2.0.5'), node('new', '3.0.0')];
    expect(summary(base, head)).toEqual([
      'downgraded down 2.1.0 → 2.0.5',
      '- gone 0.1.0',
      '+ new 3.0.0',
      'upgraded up 1.0.0 → 1.2.0',
    ]);
  });

  it('pairs several versions of one name within each major first', () => {
    const base = [node('x', '1.0.0'), node('x', '2.0.0'), node('x', '4.0.0')];
    const head = [node('x', '1.1.0'), node('x', '2.3.0'), node('x', '4.0.0'), node('x', '5.0.0')];
    expect(summary(base, head)).toEqual([
      'upgraded x 1.0.0 → 1.1.0',
      'upgraded x 2.0.0 → 2.3.0',
      '+ x 5.0.0',
    ]);
  });

  it('pairs across majors when no major matches, newest with newest; leftovers are added or removed', () => {
    expect(summary([node('x', '1.0.0')], [node('x', '2.0.0'), node('x', '3.0.0')])).toEqual([
      '+ x 2.0.0',
      'upgraded x 1.0.0 → 3.0.0',
    ]);
    expect(summary([node('x', '1.0.0'), node('x', '3.1.0')], [node('x', '3.0.0')])).toEqual([
      '- x 1.0.0',
      'downgraded x 3.1.0 → 3.0.0',
    ]);
  });

  it('counts a version installed in several places once, dev only when every place is dev', () => {
    const base = [node('a', '1.0.0')];
    const head = [
      node('a', '1.1.0', { id: 'node_modules/a', dev: true }),
      node('a', '1.1.0', { id: 'node_modules/b/node_modules/a' }),
    ];
    const [change] = classifyChanges(base, head);
    expect(change).toMatchObject({ kind: 'upgraded', to: { version: '1.1.0', dev: false } });
    expect(classifyChanges(base, head)).toHaveLength(1);
  });

  it('ignores local code and bundled copies; keeps git and tarball sources (they cannot be analysed)', () => {
    const base = [node('app', '1.0.0', { source: 'root' })];
    const head = [
      node('app', '1.1.0', { source: 'root' }),
      node('member', '1.0.0', { source: 'workspace' }),
      node('linked', '1.0.0', { source: 'link' }),
      node('inner', '1.0.0', { bundled: true }),
      node('from-git', '1.0.0', { source: 'git', resolved: 'git+ssh://git@example.invalid/x.git' }),
    ];
    expect(summary(base, head)).toEqual(['+ from-git 1.0.0']);
  });

  it('reports the same version pinned with another integrity as repinned, not a missing integrity', () => {
    const base = [
      node('a', '1.0.0', { integrity: 'sha512-AAAA' }),
      node('b', '2.0.0', { integrity: 'sha512-BBBB' }),
    ];
    const { integrity: _, ...unpinned } = node('b', '2.0.0');
    const head = [node('a', '1.0.0', { integrity: 'sha512-CCCC' }), unpinned];
    expect(classifyChanges(base, head)).toEqual([
      expect.objectContaining({
        kind: 'repinned',
        name: 'a',
        from: expect.objectContaining({ integrity: 'sha512-AAAA' }),
        to: expect.objectContaining({ integrity: 'sha512-CCCC' }),
      }),
    ]);
  });

  it('orders versions that are not semver by text', () => {
    const base = [node('x', 'github:a/b#1'), node('y', '1.0.0')];
    const head = [node('x', 'github:a/b#2'), node('y', '1.0.0')];
    expect(summary(base, head)).toEqual(['upgraded x github:a/b#1 → github:a/b#2']);
  });
});

describe('pairVersions', () => {
  it('pairs within a major, then the rest newest with newest; each version once', () => {
    const v = (version: string) => ({ version });
    const gone = ['1.0.0', '1.5.0', '3.0.0'].map(v);
    const fresh = ['1.2.0', '2.0.0', '4.0.0', '4.1.0'].map(v);
    const { pairs, left, right } = pairVersions(gone, fresh);
    expect(pairs.map(([a, b]) => `${a.version}>${b.version}`)).toEqual([
      '1.5.0>1.2.0',
      '3.0.0>4.1.0',
      '1.0.0>4.0.0',
    ]);
    expect(left).toEqual([]);
    expect(right.map((p) => p.version)).toEqual(['2.0.0']);
  });
});
