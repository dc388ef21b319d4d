import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../../core/graph.js';
import { deriveFlags } from '../../core/graph-ops.js';
import { parseText, TESTDATA } from './test-helpers.js';

/**
 * The registry package set must equal npm's own view of the same lockfile, from the real npm CLI:
 * `npm ls --all --json --package-lock-only --offline` reads only package.json and the lockfile
 * (no install, no network). npm prints a tree that repeats shared packages; we flatten it.
 */

type LsNode = { version?: string; resolved?: string; dependencies?: Record<string, LsNode> };

const CORPUS = join(import.meta.dirname, '../../../testdata/lockfiles');
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const npmLs = (lockfile: string, packageJson: string, omitDev: boolean): LsNode => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-npm-ls-'));
  tempDirs.push(dir);
  copyFileSync(packageJson, join(dir, 'package.json'));
  copyFileSync(
    lockfile,
    join(dir, basename(lockfile).includes('shrinkwrap') ? 'npm-shrinkwrap.json' : 'package-lock.json'),
  );
  const args = [
    'ls',
    '--all',
    '--json',
    '--package-lock-only',
    '--offline',
    ...(omitDev ? ['--omit=dev'] : []),
  ];
  let out: string;
  try {
    out = execFileSync('npm', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64e6,
    });
  } catch (error) {
    // `npm ls` exits 1 when it reports problems (extraneous, missing); the JSON is still complete.
    out = (error as { stdout?: string }).stdout ?? '';
  }
  return JSON.parse(out) as LsNode;
};

/** npm lists an alias under its install name, with the real package only in `resolved`. */
const realName = (key: string, node: LsNode): string => {
  const match = /^https?:\/\/[^/]+\/((?:@[^/]+(?:\/|%2f))?[^/]+)\/-\//i.exec(node.resolved ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : key;
};

/**
 * Flattens npm's tree into name@version of registry packages. Skipped, each for a reason:
 * - workspace members and links: npm prints `resolved: "file:…"` for them;
 * - repeated references to a workspace member further down: npm prints only `{version}` for
 *   those (no `resolved`), so they are recognised by name@version among the members;
 * - unmet optional/peer dependencies: printed as `{}` without a version.
 */
const flattenNpm = (tree: LsNode, members: ReadonlySet<string>): Set<string> => {
  const found = new Set<string>();
  const walk = (node: LsNode) => {
    for (const [key, child] of Object.entries(node.dependencies ?? {})) {
      const local =
        child.resolved?.startsWith('file:') ||
        (child.resolved === undefined && members.has(`${key}@${child.version}`));
      if (child.version !== undefined && !local) found.add(`${realName(key, child)}@${child.version}`);
      walk(child);
    }
  };
  walk(tree);
  return found;
};

const membersOf = (tree: LsNode): Set<string> =>
  new Set(
    Object.entries(tree.dependencies ?? {})
      .filter(([, node]) => node.resolved?.startsWith('file:'))
      .map(([key, node]) => `${key}@${node.version}`),
  );

const registrySet = (graph: DependencyGraph, ids: Iterable<string>): Set<string> => {
  const out = new Set<string>();
  for (const id of ids) {
    const node = graph.nodes.get(id);
    if (node?.source === 'registry') out.add(`${node.name}@${node.version}`);
  }
  return out;
};

/**
 * What `npm ls --omit=dev` prints, in terms of our graph: it drops the root's dev edges (and so
 * the workspace members the root lists as devDependencies), keeps members the root does not list
 * (npm's implicit workspace edges), and below that follows every edge, workspace dev edges too.
 */
const npmOmitDevView = (graph: DependencyGraph): Set<string> => {
  const declared = new Set(graph.edges.filter((e) => e.from === '.').map((e) => e.to));
  const start = ['.', ...graph.roots.filter((id) => id !== '.' && !declared.has(id))];
  const seen = new Set(start);
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of graph.edges) {
      if (edge.from !== id || (id === '.' && edge.type === 'dev') || seen.has(edge.to)) continue;
      seen.add(edge.to);
      stack.push(edge.to);
    }
  }
  return seen;
};

const cases = [
  {
    name: 'npm-cli (v3, 16 workspaces)',
    lockfile: join(CORPUS, 'npm-cli/package-lock.json'),
    packages: 1020,
  },
  {
    name: 'feature-extract-v1 (v1)',
    lockfile: join(CORPUS, 'feature-extract-v1/package-lock.json'),
    packages: 625,
  },
  {
    name: 'safe-chain (npm-shrinkwrap v3)',
    lockfile: join(CORPUS, 'safe-chain-shrinkwrap/npm-shrinkwrap.json'),
    packages: 238,
  },
  ...[
    'nested-dependencies-dup.v3',
    'nested-dependencies-dup.v1',
    'aliases.v3',
    'aliases.v1',
    'bundled.v3',
    'dev-optional-peer.v2',
  ].map((fixture) => ({
    name: `fixture ${fixture}`,
    lockfile: join(TESTDATA, `${fixture}.json`),
    packages: undefined,
  })),
];

describe.each(cases)('$name against npm ls', ({ lockfile, packages }) => {
  const manifest = lockfile.startsWith(TESTDATA)
    ? lockfile.replace(/\.v\d\.json$/, '.package.json')
    : join(lockfile, '../package.json');
  const graph = parseText(
    readFileSync(lockfile, 'utf8'),
    { 'package.json': readFileSync(manifest, 'utf8') },
    lockfile,
  );

  it('has exactly the registry packages npm lists', () => {
    const tree = npmLs(lockfile, manifest, false);
    const npm = flattenNpm(tree, membersOf(tree));
    const ours = registrySet(graph, graph.nodes.keys());
    expect([...ours].filter((p) => !npm.has(p))).toEqual([]);
    expect([...npm].filter((p) => !ours.has(p))).toEqual([]);
    if (packages !== undefined) expect(ours.size).toBe(packages);
  });

  it('has the edges npm follows for --omit=dev', () => {
    const full = npmLs(lockfile, manifest, false);
    const npm = flattenNpm(npmLs(lockfile, manifest, true), membersOf(full));
    const ours = registrySet(graph, npmOmitDevView(graph));
    expect([...ours].filter((p) => !npm.has(p))).toEqual([]);
    expect([...npm].filter((p) => !ours.has(p))).toEqual([]);
  });

  it("has npm's dev and optional flags, which agree with reachability over our edges", () => {
    // The lockfile's flags (what `npm ci --omit=dev` installs by) must equal the flags derived
    // from our edges and roots: that checks edges and workspace roots against npm's own flags.
    // npm's `peer` flag is not pure reachability (safe-chain's picomatch is `peer: true` though
    // @yao-pkg/pkg depends on it directly), so it is not compared.
    const derived = structuredClone(graph);
    deriveFlags(derived);
    const mismatches = [...graph.nodes.values()]
      .filter((node) => node.source === 'registry')
      .flatMap((node) => {
        const other = derived.nodes.get(node.id)!;
        return (['dev', 'optional'] as const)
          .filter((flag) => node[flag] !== other[flag])
          .map((flag) => `${node.id} ${flag}: lockfile ${node[flag]}, derived ${other[flag]}`);
      });
    expect(mismatches).toEqual([]);
  });
});
