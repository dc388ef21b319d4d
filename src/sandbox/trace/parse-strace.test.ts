import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent, TraceLog } from '../types.js';
import { createTraceParser, type TraceParserOptions } from './parse-strace.js';
import { commandLine } from './process-tree.js';

const here = import.meta.dirname;

/** The sandbox's exact strace flags (see testdata/README.md for how each fixture was recorded). */
const STRACE_FLAGS = [
  '-f',
  '-q',
  '-ttt',
  '-v',
  '-yy',
  '-s',
  '256',
  '-e',
  'signal=none',
  '-e',
  'trace=execve,execveat,clone,clone3,fork,vfork,exit_group,openat,open,creat,unlink,unlinkat,rmdir,rename,renameat,renameat2,mkdir,mkdirat,chmod,fchmodat,symlink,symlinkat,link,linkat,connect,sendto,sendmsg,sendmmsg,chdir,fchdir',
];

function parse(text: string | string[], options?: TraceParserOptions): TraceLog {
  const parser = createTraceParser(options);
  for (const line of Array.isArray(text) ? text : text.split('\n')) parser.push(line);
  return parser.finish();
}

function fixture(name: string, options?: TraceParserOptions): TraceLog {
  return parse(readFileSync(join(here, 'testdata', name), 'utf8'), options);
}

/** Events minus the loader's and runtime's own reads, which every process makes. */
function interesting(log: TraceLog): TraceEvent[] {
  return log.events.filter(
    (e) => !(e.kind === 'open' && /^\/(usr|lib|etc\/ld|proc|sys|etc\/ssl)\b/.test(e.path)),
  );
}

function opens(log: TraceLog, path: string) {
  return log.events.filter((e) => e.kind === 'open' && e.path === path);
}

describe('real strace 6.1 output', () => {
  it('sh: redirections, vfork children, cwd after cd, mkdir relative to a chdir', () => {
    const log = fixture('sh-redirect.log');
    expect(log.unparsed).toEqual([]);
    expect(log.dropped).toBe(0);
    const root = log.processes.get(6670)!;
    expect(root.parent).toBeUndefined();
    expect(root.exit).toBe(0);
    expect(root.execs[0]!.argv[0]).toBe('sh');
    expect(root.execs[0]!.env).toEqual({ HOME: '/home/alex', PATH: '/usr/bin:/bin', PWD: '/tmp' });
    expect(root.startedAt).toBeCloseTo(1795918395216.754, 2);
    expect([...log.processes.keys()]).toEqual([6670, 6671, 6672, 6673, 6674, 6675]);
    for (const pid of [6671, 6672, 6673, 6674, 6675]) expect(log.processes.get(pid)!.parent).toBe(6670);
    // The child's execve printed before the parent's vfork returned.
    expect(log.processes.get(6671)!.execs.map((e) => e.path)).toEqual(['/usr/bin/cat']);
    expect(log.processes.get(6671)!.exitedAt).toBeCloseTo(1795918395227.37, 2);
    expect(interesting(log).map((e) => [e.kind, e.pid, 'path' in e ? e.path : '', e.result.ok])).toEqual([
      ['open', 6670, '/tmp/x', true],
      ['open', 6671, '/etc/hostname', true],
      ['unlink', 6672, '/tmp/x', true],
      ['open', 6670, '/dev/null', true],
      ['open', 6673, '/etc/hostname', true], // "hostname" after `cd /etc`
      ['mkdir', 6674, '/tmp', false],
      ['mkdir', 6674, '/tmp/d1', true], // mkdir("d1") after chdir("/tmp"): no annotation, tracked cwd
      ['unlink', 6675, '/tmp/d1', true],
    ]);
    const write = opens(log, '/tmp/x')[0]!;
    expect(write).toMatchObject({ access: 'write', flags: ['O_WRONLY', 'O_CREAT', 'O_TRUNC'] });
    const rmdir = log.events.find((e) => e.kind === 'unlink' && e.pid === 6675);
    expect(rmdir).toMatchObject({ directory: true });
    expect(log.events.find((e) => e.kind === 'mkdir' && !e.result.ok)!.result).toEqual({
      ok: false,
      errno: 'EEXIST',
    });
  });

  it('node: libuv thread reads, threads folded, child after process.chdir, fs and net calls', () => {
    const log = fixture('node-app.log');
    expect(log.unparsed).toEqual([]);
    // 16 threads (clone3 with CLONE_THREAD) but two processes.
    expect([...log.processes.keys()]).toEqual([6971, 6982]);
    const threadRead = opens(log, '/tmp/tr/app/data.txt')[0]!;
    expect(threadRead).toMatchObject({
      pid: 6971,
      tid: 6978,
      access: 'read',
      result: { ok: true, value: 18 },
    });
    const child = log.processes.get(6982)!;
    expect(child.parent).toBe(6971);
    expect(child.execs[0]!.argv).toEqual(['/usr/bin/node', '-e', "require('fs').readFileSync('rel.txt')"]);
    expect(opens(log, '/tmp/tr/app/sub/rel.txt')[0]).toMatchObject({ pid: 6982, tid: 6982 });
    const fsEvents = interesting(log).filter((e) => e.pid === 6971 && e.kind !== 'open');
    expect(fsEvents.map(({ at, pid, tid, ...rest }) => rest)).toEqual([
      {
        kind: 'unlink',
        path: '/tmp/tr/app/link.txt',
        directory: false,
        result: { ok: false, errno: 'ENOENT' },
      },
      {
        kind: 'link',
        from: '/tmp/tr/app/data.txt',
        to: '/tmp/tr/app/link.txt',
        symbolic: true,
        result: { ok: true, value: 0 },
      },
      {
        kind: 'rename',
        from: '/tmp/tr/app/link.txt',
        to: '/tmp/tr/app/link2.txt',
        result: { ok: true, value: 0 },
      },
      { kind: 'chmod', path: '/tmp/tr/app/data.txt', mode: 0o640, result: { ok: true, value: 0 } },
      { kind: 'unlink', path: '/tmp/tr/app/link2.txt', directory: false, result: { ok: true, value: 0 } },
      {
        kind: 'connect',
        family: 'inet',
        address: '127.0.0.1',
        port: 1,
        transport: 'tcp',
        result: { ok: true, value: 0 }, // EINPROGRESS
      },
      { kind: 'send', address: '127.0.0.1', port: 9, bytes: 4, result: { ok: true, value: 4 } }, // dgram sendmsg
    ]);
    expect(log.processes.get(6971)!.exit).toBe(0);
  });

  it('C: dirfd-relative *at calls, legacy open/creat, escapes, truncation, sockets, thread exec, execveat', () => {
    const log = fixture('c-syscalls.log');
    expect(log.unparsed).toEqual([]);
    const root = log.processes.get(10827)!;
    expect(root.execs[0]!.path).toBe('/tmp/tr/c/t'); // "./t" against the exec's PWD
    expect(root.exit).toBe(7);
    const ev = interesting(log).map(({ at, pid, tid, ...rest }) => rest);
    expect(ev).toContainEqual({
      kind: 'open',
      path: '/tmp/tr/c/w/rel.txt',
      access: 'write',
      flags: ['O_WRONLY', 'O_CREAT', 'O_APPEND'],
      result: { ok: true, value: 4 },
    });
    expect(ev).toContainEqual({
      kind: 'open',
      path: '/tmp/tr/c/legacy.txt',
      access: 'read-write',
      flags: ['O_RDWR', 'O_CREAT'],
      result: { ok: true, value: 4 },
    });
    expect(ev).toContainEqual({
      kind: 'open',
      path: '/tmp/tr/c/w/creat.txt',
      access: 'write',
      flags: ['O_WRONLY', 'O_CREAT', 'O_TRUNC'],
      result: { ok: true, value: 4 },
    });
    expect(ev).toContainEqual({ kind: 'mkdir', path: '/tmp/tr/c/w/sub', result: { ok: true, value: 0 } });
    expect(ev).toContainEqual({
      kind: 'rename',
      from: '/tmp/tr/c/w/rel.txt',
      to: '/tmp/tr/c/w/sub/moved.txt',
      result: { ok: true, value: 0 },
    });
    expect(ev).toContainEqual({
      kind: 'link',
      from: '/tmp/tr/c/w/creat.txt',
      to: '/tmp/tr/c/w/hard.txt',
      symbolic: false,
      result: { ok: true, value: 0 },
    });
    expect(ev).toContainEqual({
      kind: 'link',
      from: '/etc/passwd',
      to: '/tmp/tr/c/w/pw',
      symbolic: true,
      result: { ok: true, value: 0 },
    });
    expect(ev).toContainEqual({
      kind: 'chmod',
      path: '/tmp/tr/c/w/creat.txt',
      mode: 0o755,
      result: { ok: true, value: 0 },
    });
    // "we\"ird\n\t\377\1name\\x": the \377 byte is not UTF-8.
    expect(ev).toContainEqual({
      kind: 'unlink',
      path: '/tmp/tr/c/w/we"ird\n\t\ufffd\u0001name\\x',
      directory: false,
      result: { ok: true, value: 0 },
    });
    expect(opens(log, '/tmp/tr/c/w/café.txt')[0]!.result).toEqual({ ok: false, errno: 'ENOENT' });
    // strace prints paths whole: -s 256 does not cut them (300 a's).
    const long = log.events.find(
      (e) => e.kind === 'open' && !e.result.ok && e.result.errno === 'ENAMETOOLONG',
    );
    expect(long && 'path' in long && long.path).toBe(`/tmp/tr/c/w/${'a'.repeat(300)}`);
    expect(ev).toContainEqual({
      kind: 'unlink',
      path: '/tmp/tr/c/w/sub',
      directory: true,
      result: { ok: true, value: 0 },
    });
    // fchdir(3</tmp/tr/c/w>) then chdir("..") then open("w/hard.txt").
    expect(opens(log, '/tmp/tr/c/w/hard.txt')).toHaveLength(1);
    const sends = ev.filter((e) => e.kind === 'send');
    expect(sends).toEqual([
      { kind: 'send', address: '127.0.0.1', port: 45914, bytes: 6, result: { ok: true, value: 6 } },
      { kind: 'send', bytes: 1, result: { ok: true, value: 1 } }, // send() on a connected socket: no address
      { kind: 'send', bytes: 5, result: { ok: true, value: 2 } }, // sendmmsg: 2 messages, 2 + 3 bytes
    ]);
    const connects = ev.filter((e) => e.kind === 'connect');
    expect(connects).toEqual([
      {
        kind: 'connect',
        family: 'inet',
        address: '127.0.0.1',
        port: 45914,
        transport: 'udp',
        result: { ok: true, value: 0 },
      },
      {
        kind: 'connect',
        family: 'inet6',
        address: '::1',
        port: 1,
        transport: 'tcp',
        result: { ok: false, errno: 'ECONNREFUSED' },
      },
      {
        kind: 'connect',
        family: 'unix',
        address: '/tmp/tr/c/none.sock',
        result: { ok: false, errno: 'ENOENT' },
      },
    ]);
    // The pthread's open belongs to the process.
    expect(opens(log, '/etc/hostname')[0]).toMatchObject({ pid: 10827, tid: 10828 });
    // The fork that was SIGKILLed printed nothing (-e signal=none hides "+++ killed by"): known from clone only.
    expect(log.processes.get(10829)).toMatchObject({ parent: 10827, execs: [] });
    expect(log.processes.get(10829)!.exit).toBeUndefined();
    // execve from a non-leader thread: "<pid changed to 10830 ...>" then resumed under the leader.
    const threadExec = log.processes.get(10830)!;
    expect(threadExec.execs).toEqual([
      {
        at: expect.any(Number),
        tid: 10831,
        path: '/bin/true',
        argv: ['true', 'from-thread'],
        env: { A: '1' },
        result: { ok: true, value: 0 },
      },
    ]);
    expect(threadExec.exit).toBe(0);
    expect(log.processes.has(10831)).toBe(false);
    const viaAt = log.processes.get(10832)!.execs[0]!;
    expect(viaAt).toMatchObject({ path: '/usr/bin/echo', argv: ['echo', 'via-execveat'] });
    expect(viaAt.env).toEqual({ B: '2', EMPTY: '', NOEQ: '' });
  });

  it('bwrap with --unshare-pid: clone returns namespace pids, children are still matched', () => {
    const log = fixture('bwrap-pidns.log');
    expect(log.unparsed).toEqual([]);
    const tree = [...log.processes.values()].map((p) => [p.pid, p.parent]);
    expect(tree).toEqual([
      [10970, undefined],
      [10971, 10970],
      [10972, 10971], // clone() = 2
      [10973, 10972], // vfork() = 3, child printed first
      [10974, 10972], // vfork() = 4
    ]);
    expect(log.processes.get(10972)!.execs[0]!.env.NPM_TOKEN).toBe('npm_FAKEFAKEFAKE');
    expect(log.processes.get(10972)!.exit).toBe(3);
    expect(opens(log, '/home/alex/app/o.txt')[0]).toMatchObject({ pid: 10972, access: 'write' });
    expect(opens(log, '/home/alex/.npmrc')[0]).toMatchObject({
      pid: 10974,
      result: { ok: false, errno: 'ENOENT' },
    });
  });

  it('bwrap with --decode-pids=pidns: children, threads and grandchildren matched exactly', () => {
    const log = fixture('bwrap-pidns-decoded.log');
    expect(log.unparsed).toEqual([]);
    expect(log.processes.size).toBe(12); // bwrap ×2, node, 3 children, 3 sh, 3 cat
    const byArgv = (pred: (argv: string[]) => boolean) =>
      [...log.processes.values()].filter((p) => pred(commandLine(p)));
    const [root] = byArgv((a) => a.length === 2 && a[1] === '/app/stress.js');
    for (let i = 0; i < 3; i++) {
      const [child] = byArgv((a) => a[2] === `child-${i}`);
      expect(child!.parent).toBe(root!.pid);
      // fs.readFile runs on a libuv thread; its open belongs to the child process.
      const read = opens(log, `/tmp/mark-child-${i}`);
      expect(read.map((e) => e.pid)).toEqual([child!.pid]);
      const [sh] = byArgv((a) => a[0] === '/bin/sh' && a[2]!.includes(`mark-child-${i}-g`));
      expect(sh!.parent).toBe(child!.pid);
      const [cat] = byArgv((a) => a[0] === 'cat' && a[1] === `/tmp/mark-child-${i}-g`);
      expect(cat!.parent).toBe(sh!.pid);
      expect(opens(log, `/tmp/mark-child-${i}-g`).map((e) => e.pid)).toEqual([cat!.pid]);
    }
  });

  it('without -e signal=none: "+++ killed by SIGKILL +++" and signal lines', () => {
    const log = fixture('signals.log');
    expect(log.unparsed).toEqual([]);
    const killed = [...log.processes.values()].find((p) => p.exit === 'SIGKILL');
    expect(killed).toBeDefined();
    expect(killed!.exitedAt).toBeGreaterThan(killed!.startedAt);
    expect([...log.processes.values()].filter((p) => p.parent !== undefined)).toHaveLength(3);
  });
});

describe('synthetic lines', () => {
  it('joins <unfinished ...> and <... resumed> per thread, interleaved', () => {
    const log = parse([
      '100 1.000000 execve("/bin/x", ["x"], []) = 0',
      '100 1.100000 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, exit_signal=0}, 88) = 101',
      '100 2.000000 openat(AT_FDCWD</app>, "a", O_RDONLY <unfinished ...>',
      '101 2.000100 openat(AT_FDCWD</app>, "/b", O_WRONLY|O_CREAT, 0600 <unfinished ...>',
      '100 2.000200 <... openat resumed>) = 3</app/a>',
      '101 2.000300 <... openat resumed>) = -1 EACCES (Permission denied)',
    ]);
    expect(log.unparsed).toEqual([]);
    expect(log.events).toEqual([
      {
        kind: 'open',
        pid: 100,
        tid: 100,
        at: 2000,
        path: '/app/a',
        access: 'read',
        flags: ['O_RDONLY'],
        result: { ok: true, value: 3 },
      },
      {
        kind: 'open',
        pid: 100,
        tid: 101,
        at: 2000.1,
        path: '/b',
        access: 'write',
        flags: ['O_WRONLY', 'O_CREAT'],
        result: { ok: false, errno: 'EACCES' },
      },
    ]);
  });

  it('a thread that prints before clone3 returns is folded into its process afterwards', () => {
    const log = parse([
      '100 1.0 execve("/bin/node", ["node"], ["PWD=/app"]) = 0',
      '100 1.1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0} <unfinished ...>',
      '101 1.2 openat(AT_FDCWD</app>, "secret", O_RDONLY) = 3</app/secret>',
      '100 1.3 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101',
      '101 1.4 open("b", O_RDONLY) = 4</app/b>',
      '101 1.5 +++ exited with 0 +++',
      '100 1.6 exit_group(2) = ?',
      '100 1.7 +++ exited with 2 +++',
    ]);
    expect(log.unparsed).toEqual([]);
    expect([...log.processes.keys()]).toEqual([100]);
    expect(log.events.map((e) => [e.pid, e.tid, 'path' in e && e.path])).toEqual([
      [100, 101, '/app/secret'],
      [100, 101, '/app/b'],
    ]);
    expect(log.processes.get(100)).toMatchObject({ exit: 2, exitedAt: 1700 });
  });

  it('a child process that prints before fork returns gets its parent and the parent cwd', () => {
    const log = parse([
      '200 1.0 execve("/bin/sh", ["sh"], []) = 0',
      '200 1.1 chdir("/home/alex/app") = 0',
      '200 1.2 fork( <unfinished ...>',
      '201 1.3 unlink("tmp.txt") = 0',
      '200 1.4 <... fork resumed>) = 201',
      '201 1.5 execve("./run.sh", ["./run.sh"], []) = 0',
    ]);
    expect(log.unparsed).toEqual([]);
    expect(log.processes.get(201)).toMatchObject({ parent: 200, startedAt: 1200 });
    expect(log.events[0]).toMatchObject({ kind: 'unlink', pid: 201, path: '/home/alex/app/tmp.txt' });
    expect(log.processes.get(201)!.execs[0]!.path).toBe('/home/alex/app/run.sh');
  });

  it('in a pid namespace, matches children by the learned host-minus-namespace offset', () => {
    const log = parse([
      '300 1.0 execve("/bin/sh", ["sh"], []) = 0',
      '300 1.1 clone(child_stack=NULL, flags=SIGCHLD) = 7', // namespace pid 7 is host 305
      '305 1.2 execve("/bin/a", ["a"], []) = 0',
      '300 1.3 clone(child_stack=NULL, flags=SIGCHLD) = 8', // host 306, never prints
      '300 1.4 clone(child_stack=NULL, flags=SIGCHLD) = 9', // host 307
      '307 1.5 execve("/bin/c", ["c"], []) = 0',
      '306 1.6 +++ exited with 0 +++',
    ]);
    expect(log.processes.get(305)!.parent).toBe(300);
    expect(log.processes.get(307)!.execs[0]!.path).toBe('/bin/c');
    expect(log.processes.get(307)!.startedAt).toBe(1400);
    expect(log.processes.get(306)).toMatchObject({ parent: 300, startedAt: 1300, exit: 0 });
    expect(log.processes.has(7)).toBe(false);
  });

  it('uses the host pid of --decode-pids=pidns when strace prints it', () => {
    const log = parse([
      '300 1.0 execve("/bin/sh", ["sh"], []) = 0',
      "300 1.1 clone(child_stack=NULL, flags=SIGCHLD) = 2 /* 11240 in strace's PID NS */",
      '300 1.2 clone(child_stack=NULL, flags=SIGCHLD) = 3',
      '11241 1.3 +++ exited with 0 +++',
      '11240 1.4 +++ exited with 0 +++',
    ]);
    expect(log.processes.get(11240)).toMatchObject({ parent: 300, startedAt: 1100 });
    expect(log.processes.get(11241)).toMatchObject({ parent: 300, startedAt: 1200 });
  });

  it('CLONE_PARENT makes a sibling; an exec resumed under the leader without a <pid changed> note', () => {
    const log = parse([
      '1 1.0 execve("/init", ["init"], []) = 0',
      '1 1.1 fork() = 2',
      '2 1.2 clone(child_stack=NULL, flags=CLONE_PARENT|SIGCHLD) = 3',
      '2 1.3 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 4',
      '4 1.4 execve("/bin/x", ["x"], [] <unfinished ...>',
      '2 1.5 <... execve resumed>) = 0',
    ]);
    expect(log.unparsed).toEqual([]);
    expect(log.processes.get(3)!.parent).toBe(1);
    expect(log.processes.get(2)!.execs).toMatchObject([{ tid: 4, path: '/bin/x', result: { ok: true } }]);
  });

  it("a tid left over from a thread that vanished at another thread's exec is reused by a new child", () => {
    const log = parse([
      '1 1.0 execve("/bin/node", ["node"], []) = 0',
      '1 1.1 clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 2',
      '1 1.2 clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 3',
      '3 1.3 execve("/bin/sh", ["sh"], [] <pid changed to 1 ...>',
      '1 1.4 <... execve resumed>) = 0', // thread 2 is gone without a line
      '1 1.5 fork() = 2',
      '2 1.6 execve("/bin/true", ["true"], []) = 0',
    ]);
    expect(log.processes.get(2)).toMatchObject({ parent: 1, execs: [{ path: '/bin/true' }] });
    expect(log.processes.get(1)!.execs.map((e) => e.path)).toEqual(['/bin/node', '/bin/sh']);
  });

  it('resolves relative paths against rootCwd before anything else tells the cwd', () => {
    const log = parse(['50 1.0 mkdir("build", 0755) = 0', '50 1.1 rename("a", "../b") = 0'], {
      rootCwd: '/home/alex/app',
    });
    expect(log.events).toMatchObject([
      { kind: 'mkdir', path: '/home/alex/app/build' },
      { kind: 'rename', from: '/home/alex/app/a', to: '/home/alex/b' },
    ]);
    // Without any cwd: kept relative rather than guessed.
    expect(parse(['50 1.0 mkdir("build", 0755) = 0']).events[0]).toMatchObject({ path: 'build' });
  });

  it('open falls back to the returned fd path when the dirfd is not annotated', () => {
    const log = parse([
      '50 1.0 openat(7, "x", O_RDONLY) = 3</srv/x>',
      '50 1.1 openat(7, "y", O_RDONLY) = -1 ENOENT (No such file or directory)',
    ]);
    expect(log.events.map((e) => 'path' in e && e.path)).toEqual(['/srv/x', 'y']);
  });

  it('socket details: abstract unix sockets, unknown families, sendto without address, socket annotations', () => {
    const log = parse([
      '9 1.0 connect(3<UNIX-STREAM:[1]>, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X0"}, 20) = 0',
      '9 1.1 connect(4<NETLINK:[2]>, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0',
      '9 1.2 connect(5<TCPv6:[3]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS (Operation now in progress)',
      '9 1.3 sendto(6<UDP:[10.255.0.1:4000->10.255.0.1:53]>, "\\1\\2", 2, MSG_NOSIGNAL, NULL, 0) = 2',
      '9 1.4 sendto(7<UDP:[4]>, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("198.18.0.1")}, 16) = -1 ENETUNREACH (Network is unreachable)',
      '9 1.5 sendto(8<NETLINK:[5]>, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, {ifa_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
    ]);
    expect(log.unparsed).toEqual([]);
    expect(log.events.map(({ at, pid, tid, ...rest }) => rest)).toEqual([
      { kind: 'connect', family: 'unix', address: '@/tmp/.X11-unix/X0', result: { ok: true, value: 0 } },
      { kind: 'connect', family: 'other', address: 'AF_NETLINK', result: { ok: true, value: 0 } },
      {
        kind: 'connect',
        family: 'inet6',
        address: '2001:db8::1',
        port: 443,
        transport: 'tcp',
        result: { ok: true, value: 0 },
      },
      { kind: 'send', bytes: 2, result: { ok: true, value: 2 } },
      {
        kind: 'send',
        address: '198.18.0.1',
        port: 53,
        bytes: 0,
        result: { ok: false, errno: 'ENETUNREACH' },
      },
      { kind: 'send', bytes: 20, result: { ok: true, value: 20 } },
    ]);
  });

  it('keeps truncated argv/env strings as printed and tolerates env as a pointer (no -v)', () => {
    const log = parse([
      '9 1.0 execve("/bin/sh", ["sh", "-c", "curl http://x.invalid/aaaa"...], ["TOKEN=abc"..., "__proto__=x", "A=1", "A=2"]) = 0',
      '10 1.0 execve("/bin/sh", ["sh"], 0x7ffc5dc53b88 /* 39 vars */) = 0',
    ]);
    const exec = log.processes.get(9)!.execs[0]!;
    expect(exec.argv).toEqual(['sh', '-c', 'curl http://x.invalid/aaaa']);
    expect(Object.entries(exec.env)).toEqual([
      ['TOKEN', 'abc'],
      ['__proto__', 'x'],
      ['A', '1'],
    ]);
    expect(log.processes.get(10)!.execs[0]!.env).toEqual({});
  });

  it('failed execs are kept in order; the process killed inside a call', () => {
    const log = parse([
      '9 1.0 execve("/usr/local/bin/npx", ["npx"], []) = -1 ENOENT (No such file or directory)',
      '9 1.1 execve("/usr/bin/npx", ["npx"], []) = 0',
      '9 1.2 openat(AT_FDCWD</>, "/big", O_RDONLY <unfinished ...>',
      '9 1.3 <... openat resumed> <unfinished ...>) = ?',
      '9 1.4 +++ killed by SIGKILL (core dumped) +++',
    ]);
    expect(log.unparsed).toEqual([]);
    const proc = log.processes.get(9)!;
    expect(proc.execs.map((e) => e.result.ok)).toEqual([false, true]);
    expect(proc.exit).toBe('SIGKILL');
    expect(log.events[0]).toMatchObject({ path: '/big', result: { ok: false, errno: '?' } });
  });

  it('bounds events and unparsed lines', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `9 1.${i} unlink("/tmp/f${i}") = 0`);
    const log = parse([...lines, ...Array.from({ length: 10 }, (_, i) => `garbage ${i}`)], {
      maxEvents: 5,
      maxUnparsed: 3,
    });
    expect(log.events).toHaveLength(5);
    expect(log.dropped).toBe(15);
    expect(log.unparsed).toEqual(['garbage 0', 'garbage 1', 'garbage 2']);
  });

  it('never throws on garbage, and unknown syscalls or signal lines are not "unparsed"', () => {
    const garbage = [
      '',
      '   ',
      'garbage',
      '123',
      '123 1.5',
      '123 1.5 openat(',
      '123 1.5 openat(AT_FDCWD</x>, "unterminated, O_RDONLY) = 3',
      '123 1.5 openat(AT_FDCWD</x, "a", O_RDONLY) = 3',
      '123 1.5 <... openat resumed>) = 0',
      '123 1.5 +++ what +++',
      '123 1.5 openat(AT_FDCWD, "a", O_RDONLY) = banana',
      '123 1.5 ???( <unfinished ...>',
      '\u0000\uffff\ud800',
      `123 1.5 execve("${'\\'.repeat(10_001)}`,
      '123 1.5 clone3({flags=CLONE_THREAD} => {parent_tid=[-5]}, 88) = -5',
      '123 1.5 connect(3, 0x1234, 16) = -1 EFAULT (Bad address)',
      '123 1.5 chmod("/x", 99999999999999999999) = 0',
      'x'.repeat(100_000),
    ];
    const parser = createTraceParser();
    for (const line of garbage) expect(() => parser.push(line)).not.toThrow();
    parser.push('123 1.6 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---');
    parser.push('123 1.7 getpid() = 123');
    const log = parser.finish();
    expect(log.unparsed.length).toBeLessThanOrEqual(50);
    expect(log.unparsed.every((l) => l.length <= 1000)).toBe(true);
    expect(log.unparsed).not.toContain('123 1.7 getpid() = 123');
  });

  it('survives every prefix of every fixture line', () => {
    const parser = createTraceParser({ maxEvents: 1000 });
    for (const name of ['sh-redirect.log', 'node-app.log', 'c-syscalls.log']) {
      for (const line of readFileSync(join(here, 'testdata', name), 'utf8').split('\n')) {
        for (let cut = 0; cut < line.length; cut += 7) parser.push(line.slice(0, cut));
      }
    }
    expect(() => parser.finish()).not.toThrow();
  });
});

const hasStrace = spawnSync('strace', ['-o', '/dev/null', 'true']).status === 0;

describe.skipIf(!hasStrace)(
  'live strace on this machine (skipped when strace is missing or cannot trace)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-trace-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('parses the exact flag set on a tiny shell command', () => {
      const out = join(dir, 'trace.log');
      writeFileSync(join(dir, 'in.txt'), 'x');
      execFileSync(
        'strace',
        [...STRACE_FLAGS, '-o', out, 'sh', '-c', 'cat in.txt > out.txt; mkdir d; mv out.txt d/; rm -r d'],
        { cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } },
      );
      const log = parse(readFileSync(out, 'utf8'));
      expect(log.unparsed).toEqual([]);
      const procs = [...log.processes.values()];
      expect(procs[0]!.execs[0]!.argv.slice(0, 2)).toEqual(['sh', '-c']);
      expect(procs.some((p) => p.execs.some((e) => e.argv[0] === 'cat'))).toBe(true);
      expect(procs.every((p) => p.exit === 0)).toBe(true);
      expect(opens(log, join(dir, 'in.txt'))[0]).toMatchObject({ access: 'read', result: { ok: true } });
      expect(opens(log, join(dir, 'out.txt'))[0]).toMatchObject({ access: 'write' });
      expect(log.events).toContainEqual(expect.objectContaining({ kind: 'mkdir', path: join(dir, 'd') }));
      expect(log.events).toContainEqual(
        expect.objectContaining({ kind: 'rename', from: join(dir, 'out.txt'), to: join(dir, 'd/out.txt') }),
      );
      expect(log.events).toContainEqual(
        expect.objectContaining({ kind: 'unlink', path: join(dir, 'd'), directory: true }),
      );
    });

    it('bwrap --unshare-pid with --decode-pids=pidns: the tree comes out exact', (ctx) => {
      const out = join(dir, 'bwrap.log');
      const run = spawnSync(
        'strace',
        ['--decode-pids=pidns', ...STRACE_FLAGS, '-o', out, 'bwrap', '--unshare-user', '--unshare-pid']
          .concat(['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--'])
          .concat(['sh', '-c', 'cat /etc/hostname >/dev/null & wait; cat /etc/hostname >/dev/null']),
        { env: { PATH: '/usr/bin:/bin' } },
      );
      if (run.status !== 0) ctx.skip(`bwrap cannot run here: ${String(run.stderr).trim().slice(0, 200)}`);
      const log = parse(readFileSync(out, 'utf8'));
      expect(log.unparsed).toEqual([]);
      const [sh] = [...log.processes.values()].filter((p) => commandLine(p)[0] === 'sh');
      const cats = [...log.processes.values()].filter((p) => commandLine(p)[0] === 'cat');
      expect(cats).toHaveLength(2);
      for (const cat of cats) expect(cat.parent).toBe(sh!.pid);
      expect(
        opens(log, '/etc/hostname')
          .map((e) => e.pid)
          .sort(),
      ).toEqual(cats.map((c) => c.pid).sort());
    });
  },
);
