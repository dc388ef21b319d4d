import { describe, expect, it } from 'vitest';
import {
  AT_FDCWD,
  parseFdArg,
  parseMode,
  parseReturn,
  parseSockAddr,
  parseStringArray,
  socketTransport,
  splitList,
  structField,
} from './strace-syntax.js';

describe('splitList', () => {
  it('splits at top-level commas only, past strings, annotations, structs and comments', () => {
    const text =
      'openat(AT_FDCWD</a, b>, "x, \\"y)", {f=1, g=[2, 3]}, 0x1 /* a, b) */, 5<TCP:[1.2.3.4:5->6.7.8.9:10]>) = 3';
    const list = splitList(text, 'openat('.length);
    expect(list?.items).toEqual([
      'AT_FDCWD</a, b>',
      '"x, \\"y)"',
      '{f=1, g=[2, 3]}',
      '0x1 /* a, b) */',
      '5<TCP:[1.2.3.4:5->6.7.8.9:10]>',
    ]);
    expect(text.slice(list!.end)).toBe(' = 3');
  });

  it('handles nested annotations, an empty list, and clone3 "=>"', () => {
    expect(splitList('x(0</dev/null<char 1:3>>)', 2)?.items).toEqual(['0</dev/null<char 1:3>>']);
    expect(splitList('fork()', 5)?.items).toEqual([]);
    expect(splitList('clone3({flags=CLONE_VM} => {parent_tid=[7]}, 88) = 7', 7)?.items).toEqual([
      '{flags=CLONE_VM} => {parent_tid=[7]}',
      '88',
    ]);
  });

  it('is undefined when unbalanced', () => {
    for (const text of ['f("a', 'f(a, [b)', 'f(3</x', 'f(a /* b']) expect(splitList(text, 2)).toBeUndefined();
  });
});

describe('parseFdArg', () => {
  it('reads numbers, AT_FDCWD and decoded annotations without the device suffix', () => {
    expect(parseFdArg('AT_FDCWD</home/alex/app>')).toEqual({
      fd: AT_FDCWD,
      atCwd: true,
      annotation: '/home/alex/app',
    });
    expect(parseFdArg('3</tmp/a\\76b>')).toEqual({ fd: 3, atCwd: false, annotation: '/tmp/a>b' });
    expect(parseFdArg('0</dev/null<char 1:3>>')).toEqual({ fd: 0, atCwd: false, annotation: '/dev/null' });
    expect(parseFdArg('7')).toEqual({ fd: 7, atCwd: false });
    expect(parseFdArg('NULL')).toBeUndefined();
  });

  it('tells the transport from a socket annotation', () => {
    expect(socketTransport(parseFdArg('21<TCP:[127.0.0.1:5678->198.18.0.1:443]>')?.annotation)).toBe('tcp');
    expect(socketTransport('UDPv6:[[::1]:5353]')).toBe('udp');
    expect(socketTransport('UNIX-STREAM:[1]')).toBeUndefined();
    expect(socketTransport(undefined)).toBeUndefined();
  });
});

describe('parseReturn', () => {
  it('reads values, fd annotations, errors, "?" and pid-namespace notes', () => {
    expect(parseReturn(' = 0')).toEqual({ kind: 'value', value: 0 });
    expect(parseReturn(' = 3</etc/passwd>')).toEqual({ kind: 'value', value: 3, annotation: '/etc/passwd' });
    expect(parseReturn(' = 0x7f00')).toEqual({ kind: 'value', value: 0x7f00 });
    expect(parseReturn(' = -1 ENOENT (No such file or directory)')).toEqual({
      kind: 'error',
      errno: 'ENOENT',
    });
    expect(parseReturn('   = ?')).toEqual({ kind: 'none' });
    expect(parseReturn(' = ? ERESTARTSYS (To be restarted if SA_RESTART is set)')).toEqual({
      kind: 'none',
      errno: 'ERESTARTSYS',
    });
    expect(parseReturn(" = 2 /* 11240 in strace's PID NS */")).toEqual({
      kind: 'value',
      value: 2,
      hostValue: 11240,
    });
    expect(parseReturn(' 0')).toBeUndefined();
    expect(parseReturn(' = what')).toBeUndefined();
  });
});

describe('parseSockAddr', () => {
  it('reads inet, inet6, unix (path and abstract) and other families', () => {
    expect(
      parseSockAddr('{sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("198.18.0.1")}'),
    ).toEqual({
      family: 'inet',
      address: '198.18.0.1',
      port: 443,
    });
    expect(
      parseSockAddr(
        '{sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}',
      ),
    ).toEqual({ family: 'inet6', address: '::ffff:127.0.0.1', port: 53 });
    expect(parseSockAddr('{sa_family=AF_UNIX, sun_path="/run/x\\"y.sock"}')).toEqual({
      family: 'unix',
      address: '/run/x"y.sock',
    });
    expect(parseSockAddr('{sa_family=AF_UNIX, sun_path=@"abs"}')).toEqual({
      family: 'unix',
      address: '@abs',
    });
    expect(parseSockAddr('{sa_family=AF_UNIX}')).toEqual({ family: 'unix', address: '' });
    expect(parseSockAddr('{sa_family=AF_NETLINK, nl_pid=0}')).toEqual({
      family: 'other',
      address: 'AF_NETLINK',
    });
    expect(parseSockAddr('NULL')).toBeUndefined();
  });

  it('finds the msg_name of a msghdr', () => {
    const msg =
      '{msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="}", iov_len=1}]}';
    expect(parseSockAddr(structField(msg, 'msg_name')!)).toEqual({
      family: 'inet',
      address: '127.0.0.1',
      port: 9,
    });
    expect(structField('{msg_name=NULL, msg_namelen=0}', 'msg_name')).toBeUndefined();
  });
});

describe('parseStringArray and parseMode', () => {
  it('reads string arrays, skipping the ... of a cut array', () => {
    expect(parseStringArray('["a", "b,c"..., ...]')).toEqual(['a', 'b,c']);
    expect(parseStringArray('[]')).toEqual([]);
    expect(parseStringArray('0x7ffc /* 39 vars */')).toBeUndefined();
  });

  it('reads octal modes', () => {
    expect(parseMode('0640')).toBe(0o640);
    expect(parseMode('0')).toBe(0);
    expect(parseMode('S_IFREG|0644')).toBe(0o644);
    expect(parseMode('04755')).toBe(0o4755);
    expect(parseMode('junk')).toBeUndefined();
  });
});
