import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent, TraceLog } from '../../types.js';
import { parseGoString, parseVector, splitArgs } from './gvisor-syntax.js';
import { type GvisorTraceOptions, parseGvisorStrace } from './parse-gvisor-strace.js';

const here = import.meta.dirname;

/** Read as runGvisorTraced reads the log: UTF-8 text, line by line. */
const fixture = (name: string, options: GvisorTraceOptions = {}): TraceLog =>
  parseGvisorStrace(readFileSync(join(here, 'testdata', name), 'utf8').split('\n'), {
    timeZone: 'utc',
    referenceTime: Date.UTC(2026, 10, 29),
    ...options,
  });

const ofKind = <K extends TraceEvent['kind']>(log: TraceLog, kind: K) =>
  log.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

const L = (time: string, body: string, pid = 4242) => `I1129 ${time}    ${pid} strace.go:570] ${body}`;

describe('parseGvisorStrace on c-syscalls.log (testdata/c-syscalls.c)', () => {
  const log = fixture('c-syscalls.log');
  const opens = ofKind(log, 'open');

  it('understands every line', () => {
    expect(log.unparsed).toEqual([]);
    expect(log.dropped).toBe(0);
  });

  it('builds the process tree: a killed child, a thread that execs, an execveat', () => {
    expect([...log.processes.keys()].sort((a, b) => a - b)).toEqual([1, 3, 4, 6]);
    expect(log.processes.get(1)).toMatchObject({ exit: 7 });
    expect(log.processes.get(3)).toMatchObject({ parent: 1, exit: 'SIGKILL' });
    // The old leader is "killed" when a thread execs: the process goes on and exits 0.
    expect(log.processes.get(4)).toMatchObject({ parent: 1, exit: 0 });
    expect(log.processes.get(4)!.execs).toMatchObject([
      { tid: 5, path: '/bin/true', argv: ['true', 'from-thread'], env: { A: '1' }, result: { ok: true } },
    ]);
    expect(log.processes.get(6)!.execs).toMatchObject([
      { path: '/usr/bin/echo', argv: ['echo', 'via-execveat'], env: { B: '2', EMPTY: '', NOEQ: '' } },
    ]);
  });

  it('resolves paths against dirfds and the cwd (fchdir, chdir ..)', () => {
    expect(opens.find((e) => e.path === '/tmp/tr/c/w/rel.txt')).toMatchObject({
      access: 'write',
      flags: ['O_WRONLY', 'O_APPEND', 'O_CREAT'],
    });
    expect(opens.find((e) => e.path === '/tmp/tr/c/legacy.txt')).toMatchObject({ access: 'read-write' });
    expect(opens.filter((e) => e.path === '/tmp/tr/c/w/creat.txt').map((e) => e.access)).toEqual([
      'write',
      'read',
    ]);
    expect(opens.find((e) => e.path === '/tmp/tr/c/w/hard.txt')).toMatchObject({
      result: { ok: true, value: 5 },
    });
    expect(ofKind(log, 'mkdir').map((e) => e.path)).toEqual(['/tmp/tr/c/w', '/tmp/tr/c/w/sub']);
    expect(ofKind(log, 'rename')).toMatchObject([
      { from: '/tmp/tr/c/w/rel.txt', to: '/tmp/tr/c/w/sub/moved.txt' },
    ]);
    expect(ofKind(log, 'link')).toMatchObject([
      {
        from: '/tmp/tr/c/w/creat.txt',
        to: '/tmp/tr/c/w/hard.txt',
        symbolic: false,
        result: { errno: 'EEXIST' },
      },
      { from: '/etc/passwd', to: '/tmp/tr/c/w/pw', symbolic: true },
    ]);
    expect(ofKind(log, 'chmod')).toMatchObject([{ path: '/tmp/tr/c/w/creat.txt', mode: 0o755 }]);
    expect(ofKind(log, 'unlink').map((e) => [e.path, e.directory])).toEqual([
      ['/tmp/tr/c/w/we"ird\n\t\ufffd\u0001name\\x', false],
      ['/tmp/tr/c/w/sub/moved.txt', false],
      ['/tmp/tr/c/w/sub', true],
    ]);
  });

  it('joins a path that held a newline (printed over two log lines)', () => {
    expect(opens.find((e) => e.path.includes('we"ird'))).toMatchObject({
      path: '/tmp/tr/c/w/we"ird\n\t\ufffd\u0001name\\x',
      access: 'write',
      result: { ok: true, value: 4 },
    });
    expect(opens.find((e) => e.path === '/tmp/tr/c/w/café.txt')).toMatchObject({
      result: { errno: 'ENOENT' },
    });
    expect(opens.find((e) => e.path.endsWith('aaaa'))).toMatchObject({ result: { errno: 'ENAMETOOLONG' } });
  });

  it('folds a thread into its process', () => {
    expect(opens.find((e) => e.path === '/etc/hostname')).toMatchObject({ pid: 1, tid: 2 });
  });

  it('records connects and sends with their transport', () => {
    expect(ofKind(log, 'connect')).toMatchObject([
      {
        family: 'inet',
        address: '127.0.0.1',
        port: 53282,
        transport: 'udp',
        result: { errno: 'ENETUNREACH' },
      },
      { family: 'inet6', address: '::1', port: 1, transport: 'tcp', result: { errno: 'EADDRNOTAVAIL' } },
      { family: 'unix', address: '/tmp/tr/c/none.sock', result: { errno: 'ENOENT' } },
    ]);
    expect(ofKind(log, 'connect')[2]).not.toHaveProperty('transport');
    expect(ofKind(log, 'send')).toMatchObject([
      { address: '127.0.0.1', port: 53282, bytes: 0, result: { errno: 'ENETUNREACH' } },
      { bytes: 0, result: { errno: 'EDESTADDRREQ' } },
      { bytes: 0, result: { errno: 'EDESTADDRREQ' } },
    ]);
  });

  it('dates events from the log (UTC, microseconds)', () => {
    expect(ofKind(log, 'mkdir')[0]!.at).toBe(Date.UTC(2026, 10, 29, 2, 52, 34) + 454.619);
  });
});

describe('parseGvisorStrace on node-probe.log (node: child with escaped env, paths with ", ")', () => {
  const log = fixture('node-probe.log', {
    root: { path: '/usr/bin/node', argv: ['/usr/bin/node', '/tmp/gvexp/probe.js'], env: { HOME: '/root' } },
  });

  it('records the root exec it was given and the child with its full environment', () => {
    expect(log.unparsed).toEqual([]);
    expect(log.processes.get(1)!.execs).toMatchObject([{ argv: ['/usr/bin/node', '/tmp/gvexp/probe.js'] }]);
    const sh = log.processes.get(8)!;
    expect(sh).toMatchObject({ parent: 1, exit: 0 });
    const exec = sh.execs[0]!;
    expect(exec.argv).toEqual(['/bin/sh', '-c', 'echo hi > /dev/null']);
    expect(exec.env.FOO).toBe('b"a\nr\tz, 0x1 ["]');
    expect(exec.env.UNI).toBe('café 😀');
    expect(exec.env.npm_package_name).toBe('x');
    expect(exec.env.LONG).toBe('y'.repeat(3000));
  });

  it('splits unquoted paths holding ", " and resolves relative links and opens', () => {
    expect(ofKind(log, 'open').find((e) => e.path === '/tmp/d1/a b, c.txt')).toMatchObject({
      access: 'write',
    });
    expect(ofKind(log, 'rename')).toMatchObject([{ from: '/tmp/d1/a b, c.txt', to: '/tmp/d1/b.txt' }]);
    expect(ofKind(log, 'link')).toMatchObject([
      { from: '/tmp/d1/b.txt', to: '/tmp/d1/s', symbolic: true },
      { from: '/tmp/d1/b.txt', to: '/tmp/d1/h', symbolic: false },
    ]);
    expect(ofKind(log, 'unlink')).toMatchObject([
      { path: '/tmp/d1/h', directory: false },
      { path: '/tmp/nonexist', directory: true, result: { ok: false, errno: 'ENOENT' } },
    ]);
    // After process.chdir('/tmp/d1'): openat(AT_FDCWD /tmp/d1, rel.txt).
    expect(ofKind(log, 'open').find((e) => e.path === '/tmp/d1/rel.txt')).toBeDefined();
    expect(ofKind(log, 'chmod')).toMatchObject([{ path: '/tmp/d1/b.txt', mode: 0o755 }]);
  });

  it('records connects of each family', () => {
    expect(ofKind(log, 'connect')).toMatchObject([
      { family: 'inet', address: '203.0.113.9', port: 4444, transport: 'tcp' },
      { family: 'unix', address: '/tmp/nosock' },
      { family: 'inet6', address: '2001:db8::1', port: 80, transport: 'tcp' },
    ]);
    // gVisor (2022) prints sendmsg's msg_name as an address only: no destination.
    expect(ofKind(log, 'send')).toEqual([expect.not.objectContaining({ address: expect.anything() })]);
  });
});

describe('parseGvisorStrace on node-live.log (runGvisorTraced, uid 1000, in a namespace)', () => {
  const log = fixture('node-live.log', {
    root: {
      path: '/usr/bin/node',
      argv: ['/usr/bin/node', '/opt/devtools/probe.js'],
      env: {},
      cwd: '/home/alex/app',
    },
  });

  it('gives the same answers run-once.ts reads from strace', () => {
    expect(log.unparsed).toEqual([]);
    const child = log.processes.get(8)!;
    expect(child.parent).toBe(1);
    expect(child.execs[0]!.env).toEqual({ npm_package_name: 'evil-pkg', npm_lifecycle_event: 'postinstall' });
    expect(ofKind(log, 'open').find((e) => e.path === '/home/alex/.npmrc')).toMatchObject({
      pid: 1,
      access: 'read',
    });
    expect(ofKind(log, 'open').find((e) => e.path === '/tmp/from-sh')).toMatchObject({
      pid: 8,
      access: 'write',
    });
    // EINPROGRESS counts as ok, as in parse-strace.ts.
    expect(ofKind(log, 'connect').find((e) => e.address === '203.0.113.9')).toMatchObject({
      port: 4444,
      transport: 'tcp',
      result: { ok: true, value: 0 },
    });
    expect(ofKind(log, 'send')).toMatchObject([{ bytes: 31, result: { ok: true } }]);
  });
});

describe('parseGvisorStrace on crafted lines', () => {
  const parse = (lines: string[], options: GvisorTraceOptions = {}) =>
    parseGvisorStrace(lines, { timeZone: 'utc', referenceTime: Date.UTC(2026, 10, 29), ...options });

  it('does not take a log line hidden in a file name for a syscall', () => {
    const forged = `I1129 02:00:00.000002    999 strace.go:570] [   1:   1] sh E connect(0x3 socket:[1], 0x1 {Family: AF_INET, Addr: 192.0.2.1, Port: 443}, 0x10)`;
    const log = parse([
      L('02:00:00.000000', '[   1:   1] sh E openat(AT_FDCWD /, 0x1 /tmp/x'),
      forged,
      ', O_RDONLY|0x0, 0o0)',
      L('02:00:00.000001', '[   1:   1] sh X openat(AT_FDCWD /, 0x1 /tmp/x'),
      forged,
      ', O_RDONLY|0x0, 0o0) = 3 (0x3) (1µs)',
    ]);
    expect(ofKind(log, 'connect')).toEqual([]);
    expect(ofKind(log, 'open')).toMatchObject([{ path: `/tmp/x\n${forged}\n` }]);
  });

  it('links a child that printed before its creator’s clone returned, and takes a reused pid as new', () => {
    const log = parse([
      L(
        '02:00:00.000000',
        '[   1:   1] node E clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11, 0x0, 0x0, 0x1, 0x0)',
      ),
      L('02:00:00.000001', '[   2:   2] node E exit_group(0x2)'),
      L(
        '02:00:00.000002',
        '[   1:   1] node X clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11, 0x0, 0x0, 0x1, 0x0) = 2 (0x2) (1µs)',
      ),
      L(
        '02:00:00.000003',
        '[   1:   1] node E clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11, 0x0, 0x0, 0x1, 0x0)',
      ),
      L(
        '02:00:00.000004',
        '[   1:   1] node X clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11, 0x0, 0x0, 0x1, 0x0) = 2 (0x2) (1µs)',
      ),
      L('02:00:00.000005', '[   2:   2] node E chdir(0x1 /tmp)'),
    ]);
    expect(log.processes.get(2)).toMatchObject({ parent: 1 });
    expect(log.processes.get(2)!.exit).toBeUndefined();
    expect(log.processes.get(2)!.startedAt).toBe(Date.UTC(2026, 10, 29, 2) + 0.003);
  });

  it('links vfork children (dash runs commands that way) and makes no process of a clone3 thread', () => {
    const log = parse([
      L('02:00:00.000000', '[   5:   5] sh E vfork()'),
      L(
        '02:00:00.000001',
        '[   6:   6] sh E execve(0x1 /usr/bin/node, 0x2 ["node", "x.js"], 0x3 ["npm_package_name=p"])',
      ),
      L('02:00:00.000002', '[   5:   5] sh X vfork() = 6 (0x6) (1µs)'),
      L(
        '02:00:00.000003',
        '[   6:   6] node X execve(0x1 /usr/bin/node, 0x2 ["node", "x.js"], 0x3 ["npm_package_name=p"]) = 0 (0x0) (1µs)',
      ),
      L('02:00:00.000004', '[   6:   6] node E clone3(0x7f0, 0x58)'),
      L('02:00:00.000005', '[   6:   6] node X clone3(0x7f0, 0x58) = 7 (0x7) (1µs)'),
      L('02:00:00.000006', '[   6:   7] node E exit(0x0)'),
    ]);
    expect(log.unparsed).toEqual([]);
    expect(log.processes.get(6)).toMatchObject({
      parent: 5,
      execs: [{ argv: ['node', 'x.js'], env: { npm_package_name: 'p' } }],
    });
    expect(log.processes.has(7)).toBe(false);
  });

  it('records a call the process died in with an unknown result', () => {
    const log = parse([
      L(
        '02:00:00.000000',
        '[   1:   1] node E connect(0x5 socket:[3], 0x1 {Family: AF_INET, Addr: 198.51.100.7, Port: 80}, 0x10)',
      ),
      `I1129 02:00:01.000000    4242 compat.go:135] Uncaught signal: "killed" (9), PID: 1, TID: 1, fault addr: 0x0`,
    ]);
    expect(ofKind(log, 'connect')).toMatchObject([
      { address: '198.51.100.7', port: 80, result: { ok: false, errno: '?' } },
    ]);
    expect(log.processes.get(1)).toMatchObject({ exit: 'SIGKILL' });
  });

  it('stays bounded and never throws', () => {
    const open = (i: number) => [
      L('02:00:00.000000', `[   1:   1] n E openat(AT_FDCWD /, 0x1 /f${i}, O_RDONLY, 0o0)`),
      L('02:00:00.000000', `[   1:   1] n X openat(AT_FDCWD /, 0x1 /f${i}, O_RDONLY, 0o0) = 3 (0x3) (1µs)`),
    ];
    const log = parse([...Array.from({ length: 20 }, (_, i) => open(i)).flat()], { maxEvents: 5 });
    expect(log.events).toHaveLength(5);
    expect(log.dropped).toBe(15);
    const junk = parse(
      [
        ...Array.from({ length: 100 }, () => L('02:00:00.000000', '[   1:   1] n X openat(garbage) = x')),
        L(
          '02:00:00.000000',
          `[   1:   1] n E renameat(AT_FDCWD /, 0x1 ${', 0x1 /'.repeat(3000)}, 0x3, 0x1 /b)`,
        ),
        L(
          '02:00:00.000000',
          `[   1:   1] n X renameat(AT_FDCWD /, 0x1 ${', 0x1 /'.repeat(3000)}, 0x3, 0x1 /b) = 0 (0x0) (1µs)`,
        ),
        '\u0000\uffff',
        'x'.repeat(10_000),
      ],
      { maxUnparsed: 3 },
    );
    expect(junk.unparsed.length).toBeLessThanOrEqual(3);
    expect(junk.unparsed.every((line) => line.length <= 1000)).toBe(true);
  });

  it('reads a log from late December in January', () => {
    const log = parseGvisorStrace(
      [`I1231 23:59:59.500000    1 strace.go:561] [   1:   1] n E exit_group(0x0)`],
      { timeZone: 'utc', referenceTime: Date.UTC(2027, 0, 1, 0, 0, 5) },
    );
    expect(log.processes.get(1)!.exitedAt).toBe(Date.UTC(2026, 11, 31, 23, 59, 59, 500));
  });
});

describe('gVisor argument syntax', () => {
  it('decodes Go-quoted strings', () => {
    expect(parseGoString('"a\\"b\\n\\t\\\\\\x41\\xc3\\xa9\\u00e9\\U0001f600"')?.text).toBe('a"b\n\t\\Aéé😀');
    expect(parseGoString('"unterminated')).toBeUndefined();
    expect(parseVector('0x1 ["a, b", "c\\"]"]')).toEqual(['a, b', 'c"]']);
    expect(parseVector('0x1 []')).toEqual([]);
    expect(parseVector('0x1 {error copying vector: bad address}')).toBeUndefined();
  });

  it('splits by field shapes, taking the first comma that fits', () => {
    expect(splitArgs('AT_FDCWD /a, b, 0x1 /c, d, O_RDONLY, 0o0', ['fd', 'path', 'word', 'word'])).toEqual([
      'AT_FDCWD /a, b',
      '0x1 /c, d',
      'O_RDONLY',
      '0o0',
    ]);
    expect(splitArgs('0x1 /a, 0x2 /b', ['path', 'path'])).toEqual(['0x1 /a', '0x2 /b']);
    expect(splitArgs('0x1 /a', ['path', 'path'])).toBeUndefined();
  });
});
