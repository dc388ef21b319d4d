import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTraceParser } from './parse-strace.js';
import { ancestry, commandLine, descendantsOf, effectiveCommandLine, lastExecEnv } from './process-tree.js';

function fixture(name: string) {
  const parser = createTraceParser();
  for (const line of readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8').split('\n'))
    parser.push(line);
  return parser.finish();
}

describe('process tree helpers', () => {
  const log = fixture('bwrap-pidns.log');

  it('descendantsOf: every process below, not the process itself', () => {
    expect([...descendantsOf(log, 10970)].sort()).toEqual([10971, 10972, 10973, 10974]);
    expect([...descendantsOf(log, 10972)].sort()).toEqual([10973, 10974]);
    expect(descendantsOf(log, 10974).size).toBe(0);
    expect(descendantsOf(log, 42).size).toBe(0);
  });

  it('ancestry: the process, then its parent, … up to the root', () => {
    expect(ancestry(log, 10974)).toEqual([10974, 10972, 10971, 10970]);
    expect(ancestry(log, 10970)).toEqual([10970]);
  });

  it('commandLine and lastExecEnv: the last successful exec', () => {
    const cat = log.processes.get(10974)!;
    expect(commandLine(cat)).toEqual(['cat', '/home/alex/.npmrc']);
    expect(lastExecEnv(cat)).toMatchObject({ NPM_TOKEN: 'npm_FAKEFAKEFAKE', PWD: '/home/alex/app' });
    // bwrap's inner process forks without exec.
    expect(commandLine(log.processes.get(10971)!)).toEqual([]);
    expect(lastExecEnv(log.processes.get(10971)!)).toBeUndefined();
    expect(effectiveCommandLine(log, 10971)[0]).toBe('bwrap');
  });

  it('skips failed execs and survives a parent cycle', () => {
    const proc = {
      pid: 1,
      startedAt: 0,
      execs: [
        { at: 0, tid: 1, path: '/a', argv: ['a'], env: {}, result: { ok: true as const, value: 0 } },
        { at: 1, tid: 1, path: '/b', argv: ['b'], env: {}, result: { ok: false as const, errno: 'ENOENT' } },
      ],
    };
    expect(commandLine(proc)).toEqual(['a']);
    const cyclic = {
      processes: new Map([
        [1, { pid: 1, parent: 2, startedAt: 0, execs: [] }],
        [2, { pid: 2, parent: 1, startedAt: 0, execs: [] }],
      ]),
      events: [],
      dropped: 0,
      unparsed: [],
    };
    expect(ancestry(cyclic, 1)).toEqual([1, 2]);
    expect([...descendantsOf(cyclic, 1)]).toEqual([2]);
    expect(effectiveCommandLine(cyclic, 1)).toEqual([]);
  });
});
