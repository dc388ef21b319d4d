import { describe, expect, it } from 'vitest';
import {
  type ArgSyntax,
  accessOf,
  callEvent,
  chdirTarget,
  dispatchCall,
  execOf,
  pathOf,
  resolvePath,
  type SyscallCall,
} from './syscall-events.js';

/** A toy log format: strings in double quotes, fds as `fd:/dir`, addresses as `ip:port`. */
const syntax: ArgSyntax<SyscallCall> = {
  text: (arg) => /^"(.*)"$/.exec(arg ?? '')?.[1],
  cwd: (pid) => (pid === 1 ? '/home/alex' : undefined),
  dir: (call, index) => /^fd:(\/.*)$/.exec(call.args[index] ?? '')?.[1],
  cwdShown: (arg) => /^cwd:(\/.*)$/.exec(arg)?.[1],
  fdPath: (arg) => /^fd:(\/.*)$/.exec(arg ?? '')?.[1],
  strings: (arg) => (arg?.startsWith('[') ? JSON.parse(arg) : undefined),
  flags: (arg) => (arg ? arg.split('|') : []),
  numericFlags: true,
  mode: (arg) => (arg ? Number.parseInt(arg, 8) : undefined),
  removesDir: (arg) => arg === 'AT_REMOVEDIR',
  sockAddr: (arg) => {
    const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(arg ?? '');
    return m ? { family: 'inet', address: m[1]!, port: Number(m[2]) } : undefined;
  },
  msgName: () => undefined,
  mmsgBytes: () => 42,
  transport: () => 'tcp',
};

const call = (name: string, args: string[], result: SyscallCall['result'] = { ok: true, value: 3 }) => ({
  name,
  pid: 1,
  tid: 2,
  at: 1000,
  args,
  result,
});

describe('resolvePath / pathOf', () => {
  it('resolves against the base, keeps the text when it cannot', () => {
    expect(resolvePath('/a', '../b/./c')).toBe('/b/c');
    expect(resolvePath(undefined, '/x//y/')).toBe('/x/y');
    expect(resolvePath('/a', '')).toBe('/a');
    expect(resolvePath('rel', 'x')).toBeUndefined();
    expect(pathOf(call('unlink', ['"x"']), syntax, 0)).toBe('/home/alex/x');
    expect(pathOf(call('unlinkat', ['fd:/etc', '"hosts"']), syntax, 1, 0)).toBe('/etc/hosts');
    expect(pathOf(call('unlinkat', ['7', '"hosts"']), syntax, 1, 0)).toBe('hosts');
    expect(pathOf(call('unlink', ['0x7ffd']), syntax, 0)).toBe('0x7ffd');
  });
});

describe('accessOf', () => {
  it('reads names, and bare numbers only when told', () => {
    expect(accessOf(['O_RDWR', 'O_CREAT'], false)).toBe('read-write');
    expect(accessOf(['O_WRONLY'], false)).toBe('write');
    expect(accessOf(['01'], false)).toBe('read');
    expect(accessOf(['01'], true)).toBe('write');
    expect(accessOf(['0x2'], true)).toBe('read-write');
  });
});

describe('callEvent', () => {
  it('maps opens, with openat2 only when the syntax reads open_how', () => {
    expect(callEvent(call('openat', ['fd:/etc', '"passwd"', 'O_RDONLY']), syntax)).toMatchObject({
      kind: 'open',
      path: '/etc/passwd',
      access: 'read',
    });
    expect(callEvent(call('creat', ['"out"', '0644']), syntax)).toMatchObject({
      path: '/home/alex/out',
      access: 'write',
      flags: ['O_WRONLY', 'O_CREAT', 'O_TRUNC'],
    });
    expect(callEvent(call('openat2', ['fd:/etc', '"x"', '{}']), syntax)).toBeUndefined();
    const withHow = { ...syntax, openHowFlags: () => ['O_RDWR'], opened: () => '/real/x' };
    expect(callEvent(call('openat2', ['fd:/etc', '"x"', '{}']), withHow)).toMatchObject({
      path: '/etc/x',
      realPath: '/real/x',
      access: 'read-write',
    });
  });

  it('maps file calls by argument position', () => {
    expect(callEvent(call('renameat2', ['fd:/a', '"x"', 'fd:/b', '"y"', '0']), syntax)).toMatchObject({
      kind: 'rename',
      from: '/a/x',
      to: '/b/y',
    });
    expect(callEvent(call('unlinkat', ['fd:/a', '"d"', 'AT_REMOVEDIR']), syntax)).toMatchObject({
      kind: 'unlink',
      path: '/a/d',
      directory: true,
    });
    expect(callEvent(call('symlinkat', ['"../t"', 'fd:/a/b', '"l"']), syntax)).toMatchObject({
      kind: 'link',
      from: '/a/t',
      to: '/a/b/l',
      symbolic: true,
    });
    expect(callEvent(call('fchmod', ['fd:/bin/x', '755']), syntax)).toMatchObject({
      path: '/bin/x',
      mode: 0o755,
    });
    expect(callEvent(call('read', ['3']), syntax)).toBeUndefined();
  });

  it('maps connect (EINPROGRESS is ok) and send', () => {
    expect(
      callEvent(call('connect', ['3', '203.0.113.9:443'], { ok: false, errno: 'EINPROGRESS' }), syntax),
    ).toEqual({
      kind: 'connect',
      pid: 1,
      tid: 2,
      at: 1000,
      family: 'inet',
      address: '203.0.113.9',
      port: 443,
      transport: 'tcp',
      result: { ok: true, value: 0 },
    });
    expect(callEvent(call('sendto', ['3', 'x', '1', '0', '198.51.100.1:53', '16']), syntax)).toMatchObject({
      kind: 'send',
      address: '198.51.100.1',
      port: 53,
      bytes: 3,
    });
    expect(callEvent(call('sendmmsg', ['3', '[]', '2', '0'], { ok: true, value: 2 }), syntax)).toMatchObject({
      bytes: 42,
    });
    expect(callEvent(call('sendmsg', ['3', '{}', '0'], { ok: false, errno: 'EPIPE' }), syntax)).toMatchObject(
      {
        bytes: 0,
      },
    );
  });
});

describe('execOf / chdirTarget', () => {
  it('reads execve and execveat, showing the env before the path is resolved', () => {
    const seen: string[] = [];
    const exec = execOf(
      call('execveat', ['fd:/usr/bin', '"node"', '["node","-e"]', '["A=1"]', '0']),
      syntax,
      (env) => seen.push(env.A!),
    );
    expect(exec).toMatchObject({ path: '/usr/bin/node', argv: ['node', '-e'], env: { A: '1' }, tid: 2 });
    expect(seen).toEqual(['1']);
    expect(execOf(call('execve', ['"sh"', 'NULL', 'NULL']), syntax)).toMatchObject({
      path: '/home/alex/sh',
      argv: [],
    });
  });

  it('gives the new cwd of a successful chdir/fchdir', () => {
    expect(chdirTarget(call('chdir', ['"sub"'], { ok: true, value: 0 }), syntax)).toBe('/home/alex/sub');
    expect(chdirTarget(call('fchdir', ['fd:/tmp'], { ok: true, value: 0 }), syntax)).toBe('/tmp');
    expect(chdirTarget(call('chdir', ['"sub"'], { ok: false, errno: 'ENOENT' }), syntax)).toBeUndefined();
  });
});

describe('dispatchCall', () => {
  it('routes bookkeeping to the handlers and the rest to events', () => {
    const seen: string[] = [];
    const on = {
      clone: (c: SyscallCall) => seen.push(`clone ${c.name}`),
      exec: (c: SyscallCall) => seen.push(`exec ${c.name}`),
      cwd: (pid: number, dir: string) => seen.push(`cwd ${pid} ${dir}`),
      emit: (e: { kind: string }) => seen.push(`event ${e.kind}`),
      special: (c: SyscallCall) => c.name === 'socket' && seen.push('socket') > 0,
    };
    for (const c of [
      call('vfork', []),
      call('execve', ['"sh"', '[]', '[]']),
      call('renameat', ['cwd:/a', '"x"', 'cwd:/b', '"y"']),
      call('socket', ['AF_INET']),
      call('chdir', ['"/srv"'], { ok: true, value: 0 }),
      call('read', ['3']),
    ])
      dispatchCall(c, syntax, on);
    expect(seen).toEqual(['clone vfork', 'exec execve', 'cwd 1 /b', 'event rename', 'socket', 'cwd 1 /srv']);
  });
});
