import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { type LockfileFamily, type Mutation, mutationsFor, seedOf } from './mutations.js';

/**
 * Every real lockfile, mutated in many hostile ways, must either parse into a sane graph or fail
 * with an InputError naming the file — never another error, never a hang.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(repo, 'testdata', 'lockfiles');
/** A hang or a blow-up shows as a case far slower than parsing the intact file; machines under load are not. */
const MIN_BOUND_MS = 5_000;
const baselineMs = new Map<string, number>();

const LOCKFILES: { project: string; file: string; family: LockfileFamily }[] = [
  { project: 'npm-cli', file: 'package-lock.json', family: 'npm-json' },
  { project: 'feature-extract-v1', file: 'package-lock.json', family: 'npm-json' },
  { project: 'safe-chain-shrinkwrap', file: 'npm-shrinkwrap.json', family: 'npm-json' },
  { project: 'jest', file: 'yarn.lock', family: 'yarn-berry' },
  { project: 'webpack', file: 'yarn.lock', family: 'yarn-v1' },
  { project: 'astro', file: 'pnpm-lock.yaml', family: 'pnpm-yaml' },
  { project: 'vue-core', file: 'pnpm-lock.yaml', family: 'pnpm-yaml' },
  { project: 'hono', file: 'bun.lock', family: 'bun-jsonc' },
];

const temp = mkdtempSync(join(tmpdir(), 'bulwark-bad-input-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let caseNumber = 0;
/** Writes the mutated lockfile beside a copy of the project's package.json, as a real project would have it. */
const writeCase = (project: string, file: string, mutation: Mutation): string => {
  const dir = join(temp, `${project}-${++caseNumber}`);
  mkdirSync(dir);
  copyFileSync(join(corpus, project, 'package.json'), join(dir, 'package.json'));
  const target = join(dir, file);
  const bytes = mutation.apply(readFileSync(join(corpus, project, file)));
  const fd = openSync(target, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  // Extending the file leaves a sparse tail of zero bytes: a real 70 MB file without writing 70 MB.
  if (mutation.padBytes) truncateSync(target, bytes.length + mutation.padBytes);
  return target;
};

let lastElapsedMs = 0;

type Outcome =
  | { kind: 'parsed'; packages: number; warnings: number }
  | { kind: 'input-error'; message: string };

const runCase = (target: string, boundMs = MIN_BOUND_MS): Outcome => {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const { graph } = loadInventory({ lockfile: target });
    for (const root of graph.roots) expect(graph.nodes.has(root), `root ${root} is a node`).toBe(true);
    for (const edge of graph.edges) {
      expect(graph.nodes.has(edge.from), `edge source ${edge.from} is a node`).toBe(true);
      expect(graph.nodes.has(edge.to), `edge target ${edge.to} is a node`).toBe(true);
    }
    outcome = { kind: 'parsed', packages: graph.nodes.size, warnings: graph.warnings.length };
  } catch (error) {
    if (!(error instanceof InputError)) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`expected an InputError, got ${detail}`);
    }
    expect(error.message).toContain(target);
    expect(error.message).not.toContain('\n');
    outcome = { kind: 'input-error', message: error.message };
  }
  lastElapsedMs = performance.now() - started;
  expect(lastElapsedMs).toBeLessThan(boundMs);
  // Nothing a lockfile says may reach Object.prototype.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return outcome;
};

for (const { project, file, family } of LOCKFILES) {
  describe(`${project}/${file}`, () => {
    const length = readFileSync(join(corpus, project, file)).length;
    const mutations = mutationsFor(family, seedOf(`${project}/${file}`), length);

    it.each(mutations.map((mutation) => [mutation.name, mutation] as const))('%s', (_name, mutation) => {
      const target = writeCase(project, file, mutation);
      const key = `${project}/${file}`;
      const outcome = runCase(target, Math.max(MIN_BOUND_MS, 3 * (baselineMs.get(key) ?? 0)));
      if (mutation.name === 'unchanged') {
        expect(outcome.kind).toBe('parsed');
        baselineMs.set(key, lastElapsedMs);
      }
      if (mutation.padBytes || mutation.name.startsWith('random binary'))
        expect(outcome.kind).toBe('input-error');
      // An empty lockfile may be legitimate (yarn accepts one), but it must never pass silently.
      if (mutation.name === 'empty file' && outcome.kind === 'parsed')
        expect(outcome.warnings).toBeGreaterThan(0);
      rmSync(dirname(target), { recursive: true, force: true });
    });
  });
}

describe('the compiled CLI on mutated lockfiles', () => {
  const db = join(temp, 'cli.db');
  // dist/ is built by test/global-setup.ts when it is older than src/.

  const cliCases: { project: string; file: string; family: LockfileFamily; mutation: string }[] = [
    { project: 'npm-cli', file: 'package-lock.json', family: 'npm-json', mutation: 'truncated at byte 10' },
    { project: 'webpack', file: 'yarn.lock', family: 'yarn-v1', mutation: 'byte' },
    { project: 'astro', file: 'pnpm-lock.yaml', family: 'pnpm-yaml', mutation: 'version → array' },
    { project: 'hono', file: 'bun.lock', family: 'bun-jsonc', mutation: 'deep array nesting' },
    { project: 'jest', file: 'yarn.lock', family: 'yarn-berry', mutation: '70 MB file' },
    {
      project: 'safe-chain-shrinkwrap',
      file: 'npm-shrinkwrap.json',
      family: 'npm-json',
      mutation: 'empty file',
    },
  ];

  it.each(cliCases)(
    '$project/$file, $mutation: exit 2, one line naming the file',
    ({ project, file, family, mutation }) => {
      const length = readFileSync(join(corpus, project, file)).length;
      const chosen = mutationsFor(family, seedOf(`${project}/${file}`), length).find((m) =>
        m.name.startsWith(mutation),
      )!;
      const target = writeCase(project, file, chosen);
      // The in-process loader must reject this case too, or the CLI expectation below is wrong.
      expect(runCase(target).kind).toBe('input-error');
      const run = spawnSync(
        process.execPath,
        [join(repo, 'bin', 'bulwark.js'), 'scan', '--lockfile', target, '--db', db],
        {
          cwd: dirname(target),
          encoding: 'utf8',
          timeout: 30_000,
          env: { ...process.env, BULWARK_DEBUG: '', NO_COLOR: '1' },
        },
      );
      expect(run.stdout).toBe('');
      expect(run.status, run.stderr).toBe(2);
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^bulwark: /);
      expect(lines[0]).toContain(basename(target));
      expect(run.stderr).not.toContain('    at ');
      expect(existsSync(target)).toBe(true);
    },
  );
});
