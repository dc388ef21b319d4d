import { describe, expect, it } from 'vitest';
import type { DepEdge, DependencyGraph, DepNode } from './graph.js';
import { deriveFlags, indexGraph, isDirect, pathsTo, reachable } from './graph-ops.js';

const node = (id: string, source: DepNode['source'] = 'registry'): DepNode => {
  const [name = id, version = '1.0.0'] = id.split('@');
  return { id, name, version, source, dev: false, optional: false, peer: false, bundled: false };
};

const graphOf = (ids: string[], edges: [string, string, DepEdge['type']][]): DependencyGraph => ({
  format: 'package-lock',
  file: '/p/package-lock.json',
  roots: ['.'],
  nodes: new Map([node('.', 'root'), ...ids.map((id) => node(id))].map((n) => [n.id, n])),
  edges: edges.map(([from, to, type]) => ({ from, to, type, name: to.split('@')[0]!, range: '*' })),
  warnings: [],
});

describe('deriveFlags', () => {
  it('marks dev, optional and peer from how the roots reach each node', () => {
    const graph = graphOf(
      ['a@1', 'b@1', 'c@1', 'd@1', 'e@1', 'p@1'],
      [
        ['.', 'a@1', 'prod'],
        ['.', 'b@1', 'dev'],
        ['b@1', 'c@1', 'prod'],
        ['a@1', 'd@1', 'optional'],
        ['b@1', 'e@1', 'prod'],
        ['a@1', 'e@1', 'prod'],
        ['a@1', 'p@1', 'peer'],
      ],
    );
    deriveFlags(graph);
    const flags = (id: string) => {
      const n = graph.nodes.get(id)!;
      return [n.dev, n.optional, n.peer];
    };
    expect(flags('a@1')).toEqual([false, false, false]);
    expect(flags('b@1')).toEqual([true, false, false]);
    expect(flags('c@1')).toEqual([true, false, false]);
    expect(flags('d@1')).toEqual([false, true, false]);
    expect(flags('e@1')).toEqual([false, false, false]);
    expect(flags('p@1')).toEqual([false, false, true]);
  });

  it('a dev edge below the root does not make a production node dev', () => {
    const graph = graphOf(
      ['a@1', 'b@1'],
      [
        ['.', 'a@1', 'prod'],
        ['a@1', 'b@1', 'dev'],
      ],
    );
    deriveFlags(graph);
    expect(graph.nodes.get('b@1')!.dev).toBe(false);
  });
});

describe('pathsTo and isDirect', () => {
  const graph = graphOf(
    ['a@1', 'b@1', 'c@1', 'x@1'],
    [
      ['.', 'a@1', 'prod'],
      ['.', 'b@1', 'prod'],
      ['a@1', 'c@1', 'prod'],
      ['b@1', 'a@1', 'prod'],
      ['c@1', 'a@1', 'prod'],
    ],
  );
  const index = indexGraph(graph);

  it('lists paths from the roots, shortest first, without cycles', () => {
    expect(pathsTo(index, 'c@1')).toEqual({
      paths: [
        ['.', 'a@1', 'c@1'],
        ['.', 'b@1', 'a@1', 'c@1'],
      ],
      truncated: false,
    });
  });

  it('stops at the limit and says so', () => {
    expect(pathsTo(index, 'c@1', 1)).toEqual({ paths: [['.', 'a@1', 'c@1']], truncated: true });
  });

  it('knows direct dependencies and unreachable nodes', () => {
    expect(isDirect(index, 'a@1')).toBe(true);
    expect(isDirect(index, 'c@1')).toBe(false);
    expect(reachable(graph, index).has('x@1')).toBe(false);
    expect(pathsTo(index, 'x@1').paths).toEqual([]);
  });
});
