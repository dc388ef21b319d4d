import { describe, expect, it } from 'vitest';
import type { TracedExec, TraceEvent } from '../types.js';
import { awaitBirth, createTraceRecorder, envOf, MAX_AWAITING } from './trace-recorder.js';

const event = (at: number): TraceEvent => ({
  kind: 'mkdir',
  pid: 1,
  tid: 1,
  at,
  path: '/tmp/x',
  result: { ok: true, value: 0 },
});
const exec = (ok: boolean, path = '/bin/sh'): TracedExec => ({
  at: 0,
  tid: 1,
  path,
  argv: [],
  env: {},
  result: ok ? { ok: true, value: 0 } : { ok: false, errno: 'ENOENT' },
});

describe('createTraceRecorder', () => {
  it('keeps events, processes and unparsed lines up to the limits, counting what it drops', () => {
    const r = createTraceRecorder({ maxEvents: 1, maxProcesses: 1, maxUnparsed: 1 });
    expect(r.emit(event(1))).toBe(true);
    expect(r.emit(event(2))).toBe(false);
    expect(r.addProcess({ pid: 1, startedAt: 0, execs: [] })).toBeDefined();
    expect(r.addProcess({ pid: 1, startedAt: 5, execs: [] })?.startedAt).toBe(5);
    expect(r.addProcess({ pid: 2, startedAt: 0, execs: [] })).toBeUndefined();
    r.noteUnparsed('x'.repeat(2000));
    r.noteUnparsed('second');
    r.drop();
    const log = r.finish();
    expect(log.events.map((e) => e.at)).toEqual([1]);
    expect([...log.processes.keys()]).toEqual([1]);
    expect(log.unparsed).toEqual(['x'.repeat(1000)]);
    expect(log.dropped).toBe(3);
  });

  it('caps execs per process: a later success replaces the last, a later failure is dropped', () => {
    const r = createTraceRecorder();
    expect(r.addExec(9, exec(true))).toBe(false);
    r.addProcess({ pid: 1, startedAt: 0, execs: [] });
    for (let i = 0; i < 64; i++) r.addExec(1, exec(false));
    expect(r.addExec(1, exec(false))).toBe(true);
    r.addExec(1, exec(true, '/usr/bin/node'));
    const log = r.finish();
    const execs = log.processes.get(1)!.execs;
    expect(execs).toHaveLength(64);
    expect(execs[63]!.path).toBe('/usr/bin/node');
    expect(log.dropped).toBe(1);
  });
});

describe('parentOfClone / awaitBirth', () => {
  it('gives the creator, or its parent with CLONE_PARENT', () => {
    const r = createTraceRecorder();
    r.addProcess({ pid: 5, parent: 2, startedAt: 0, execs: [] });
    expect(r.parentOfClone(5, 'flags=CLONE_VM|CLONE_VFORK|SIGCHLD')).toBe(5);
    expect(r.parentOfClone(5, 'CLONE_PARENT|SIGCHLD')).toBe(2);
    expect(r.parentOfClone(9, 'CLONE_PARENT')).toBeUndefined();
  });

  it('keeps one birth per number, newest last, at most MAX_AWAITING', () => {
    const awaiting: Array<{ value: number; at: number }> = [];
    awaitBirth(awaiting, { value: 1, at: 0 });
    awaitBirth(awaiting, { value: 2, at: 1 });
    awaitBirth(awaiting, { value: 1, at: 2 });
    expect(awaiting).toEqual([
      { value: 2, at: 1 },
      { value: 1, at: 2 },
    ]);
    for (let i = 10; i < 10 + MAX_AWAITING; i++) awaitBirth(awaiting, { value: i, at: i });
    expect(awaiting).toHaveLength(MAX_AWAITING);
    expect(awaiting[0]!.value).toBe(10);
  });
});

describe('envOf', () => {
  it('splits KEY=value, first occurrence wins, no prototype', () => {
    const env = envOf(['A=1', 'A=2', 'B', 'C=x=y', '__proto__=p']);
    expect({ ...env }).toEqual({ A: '1', B: '', C: 'x=y', ['__proto__']: 'p' });
    expect(Object.getPrototypeOf(env)).toBeNull();
  });
});
