/**
 * Streaming parser for the sandbox's `strace -f -q -ttt -v -yy -s 256` log: one line at a time in,
 * a TraceLog out. Threads are folded into their processes, `<unfinished ...>`/`<... resumed>` halves
 * are joined per thread, and relative paths are resolved against the `-yy` annotations strace prints
 * (`AT_FDCWD</home/alex/app>`, `3</etc>`) or the cwd tracked from chdir/fchdir and inherited at fork.
 * Untrusted input: never throws, memory stays bounded by the options.
 */
import { posix } from 'node:path';
import type { SyscallResult, TracedProcess, TraceEvent, TraceLog } from '../types.js';
import { parseStraceString } from './decode-strace-string.js';
import {
  annotationPath,
  type ParsedReturn,
  parseFdArg,
  parseMode,
  parseReturn,
  parseSockAddr,
  parseStringArray,
  socketTransport,
  splitFlags,
  splitList,
  structField,
} from './strace-syntax.js';
import {
  type ArgSyntax,
  type CallHandlers,
  dispatchCall,
  execOf,
  type SyscallCall,
} from './syscall-events.js';
import { awaitBirth, createTraceRecorder, MAX_LINE_CHARS, type TraceLimits } from './trace-recorder.js';
import { takeUnfinished } from './unfinished-calls.js';

export type TraceParserOptions = TraceLimits & {
  /** Working directory of the traced root process (else learned from `AT_FDCWD<…>` or its exec's PWD). */
  rootCwd?: string;
};

export type TraceParser = {
  push(line: string): void;
  finish(): TraceLog;
};

type Pending = { name: string; text: string; at: number; tid: number };

/** A clone result: the child's number as the caller saw it, and what the child is. */
type Birth = {
  value: number;
  /** The value is the host tid (no pid namespace in between). */
  exact: boolean;
  /** strace said so (`--decode-pids=pidns`), rather than we assumed it. */
  certain: boolean;
  creator: number;
  parent?: number;
  thread: boolean;
  /** Created with CLONE_NEWPID: its own children get namespace pids. */
  newPidNs: boolean;
  at: number;
};

type Call = SyscallCall & { args: string[]; ret: ParsedReturn };

const CLONE_CALLS = new Set(['clone', 'clone2', 'clone3', 'fork', 'vfork']);
const MAX_PROVISIONAL_EVENTS = 10_000;
const UNFINISHED = '<unfinished ...>';

const LINE = /^(\d+)\s+(?:(\d+)\.(\d+)\s+)?(.*)$/s;
const RESUMED = /^<\.\.\. (\w+) resumed>(.*)$/s;
const PID_CHANGED = /\s*<pid changed to (\d+) \.\.\.>$/;
const CALL = /^(\w+)\(/;

export function createTraceParser(options: TraceParserOptions = {}): TraceParser {
  const recorder = createTraceRecorder(options);
  const { processes, addProcess, noteUnparsed } = recorder;

  /** Live thread id → thread group id. */
  const tgidOf = new Map<number, number>();
  /** Thread group id → working directory. */
  const cwdOf = new Map<number, string>();
  /** Half-printed calls, by the thread strace will resume them under. */
  const pending = new Map<number, Pending>();
  /** Tids seen before the clone that created them returned, with the events to re-attribute. */
  const provisional = new Map<number, { since: number; events: TraceEvent[] }>();
  /** Clone results whose child has not printed a line yet. */
  const awaiting: Birth[] = [];
  /**
   * Inside a pid namespace (bwrap --unshare-pid) clone returns the namespace's pid, not the host tid
   * strace prefixes lines with. Host tid minus returned pid, learned from the last child matched that way.
   */
  let nsOffset: number | undefined;
  /** Processes inside a pid namespace (created with CLONE_NEWPID, or by such a process). */
  const nsProcesses = new Set<number>();
  let rootPid: number | undefined;

  const pendingClones = (): Pending[] => [...pending.values()].filter((p) => CLONE_CALLS.has(p.name));

  /** Records a new thread or process `tid` born as `birth` says; folds what it printed while provisional. */
  const attach = (tid: number, birth: Birth): number => {
    const early = provisional.get(tid);
    provisional.delete(tid);
    if (birth.thread) {
      if (early) {
        for (const event of early.events) event.pid = birth.creator;
        if (processes.get(tid)?.execs.length === 0) processes.delete(tid);
        cwdOf.delete(tid);
      }
      tgidOf.set(tid, birth.creator);
      return birth.creator;
    }
    const existing = processes.get(tid);
    if (existing && early) {
      if (birth.parent !== undefined) existing.parent = birth.parent;
      existing.startedAt = Math.min(existing.startedAt, birth.at);
    } else {
      // A fresh process (or a reused pid: the newer process replaces the older record).
      const proc: TracedProcess = { pid: tid, startedAt: birth.at, execs: [] };
      if (birth.parent !== undefined) proc.parent = birth.parent;
      addProcess(proc);
      cwdOf.delete(tid);
    }
    tgidOf.set(tid, tid);
    if (birth.newPidNs || nsProcesses.has(birth.creator)) nsProcesses.add(tid);
    const creatorCwd = cwdOf.get(birth.creator);
    if (!cwdOf.has(tid) && creatorCwd) cwdOf.set(tid, creatorCwd);
    return tid;
  };

  /**
   * How well a tid fits a namespace birth: 0 when tid = number + learned offset. The offset only grows
   * (host pids taken by processes outside the namespace), so a tid below the fit is the worst match.
   */
  const misfit = (tid: number, birth: Birth): number => {
    const delta = tid - birth.value - (nsOffset ?? 0);
    return delta >= 0 ? delta : 2 ** 40 - delta;
  };

  /**
   * The awaited birth a newly seen tid is: the same number, or a namespace birth at the learned offset.
   * `loose` (no clone pending that could explain the tid): else the best-fitting namespace birth, else any
   * birth strace did not vouch for (an unshare(CLONE_NEWPID) strace did not see) — a better guess than none.
   */
  const claimBirth = (tid: number, loose: boolean): Birth | undefined => {
    let index = awaiting.findIndex((b) => b.value === tid);
    if (index < 0) {
      let best = Number.POSITIVE_INFINITY;
      awaiting.forEach((b, i) => {
        if (b.exact && (!loose || b.certain)) return;
        const score = b.exact ? 2 ** 50 + i : nsOffset === undefined ? i : misfit(tid, b);
        if (score < best) {
          best = score;
          index = i;
        }
      });
      if (!loose && (nsOffset === undefined || best !== 0)) index = -1;
    }
    if (index < 0) return undefined;
    const [birth] = awaiting.splice(index, 1);
    if (birth!.value !== tid) {
      nsOffset = tid - birth!.value;
      nsProcesses.add(birth!.creator);
    }
    return birth;
  };

  /** Once no clone is pending, tids still provisional take the best awaited birth, or stay parentless. */
  const settleProvisional = (): void => {
    if (provisional.size === 0 || pendingClones().length > 0) return;
    for (const tid of [...provisional.keys()]) {
      const birth = claimBirth(tid, true);
      if (birth) attach(tid, birth);
      else provisional.delete(tid);
    }
  };

  /** The process of a thread; a tid never seen before becomes the root, a child, or a provisional child. */
  const processOf = (tid: number, at: number): number => {
    const known = tgidOf.get(tid);
    if (known !== undefined) return known;
    if (rootPid === undefined) {
      rootPid = tid;
      tgidOf.set(tid, tid);
      if (options.rootCwd) cwdOf.set(tid, options.rootCwd);
      addProcess({ pid: tid, startedAt: at, execs: [] });
      return tid;
    }
    const clones = pendingClones();
    const birth = claimBirth(tid, clones.length === 0);
    if (birth) return attach(tid, birth);
    tgidOf.set(tid, tid);
    // strace -f can print a child's first lines before its creator's clone returns; the clone result
    // later says whether it is a thread or a process, and whose.
    const creator = clones[clones.length - 1];
    if (creator) {
      provisional.set(tid, { since: at, events: [] });
      const creatorCwd = cwdOf.get(tgidOf.get(creator.tid) ?? creator.tid);
      if (creatorCwd) cwdOf.set(tid, creatorCwd);
    }
    if (!processes.has(tid)) addProcess({ pid: tid, startedAt: at, execs: [] });
    return tid;
  };

  const emit = (event: TraceEvent): void => {
    if (!recorder.emit(event)) return;
    const early = provisional.get(event.tid);
    if (early && early.events.length < MAX_PROVISIONAL_EVENTS) early.events.push(event);
  };

  /** How strace prints arguments: quoted strings, `-yy` fd annotations (`3</etc>`, `AT_FDCWD</home>`). */
  const syntax: ArgSyntax<Call> = {
    text: (arg) => (arg === undefined ? undefined : parseStraceString(arg)?.text),
    cwd: (pid) => cwdOf.get(pid),
    dir: (call, index) => {
      const arg = call.args[index];
      if (arg === undefined) return cwdOf.get(call.pid);
      const fd = parseFdArg(arg);
      if (!fd) return undefined;
      return fd.atCwd ? (annotationPath(fd) ?? cwdOf.get(call.pid)) : annotationPath(fd);
    },
    cwdShown: (arg) => (arg.startsWith('AT_FDCWD<') ? annotationPath(parseFdArg(arg)) : undefined),
    fdPath: (arg) => annotationPath(parseFdArg(arg ?? '')),
    strings: (arg) => parseStringArray(arg ?? ''),
    flags: splitFlags,
    numericFlags: true,
    openHowFlags: (arg) => splitFlags(/flags=([^,}]+)/.exec(arg ?? '')?.[1]),
    opened: (call) => (call.ret.kind === 'value' ? call.ret.annotation : undefined),
    mode: parseMode,
    removesDir: (arg) => /\bAT_REMOVEDIR\b/.test(arg ?? ''),
    sockAddr: (arg) => parseSockAddr(arg ?? ''),
    msgName: (arg) => {
      const name = structField(arg ?? '', 'msg_name');
      return name ? parseSockAddr(name) : undefined;
    },
    // strace prints each message's msg_len on success.
    mmsgBytes: (arg) =>
      [...(arg ?? '').matchAll(/\bmsg_len=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
    transport: (call) => socketTransport(parseFdArg(call.args[0] ?? '')?.annotation),
  };

  const handleExit = (tid: number, at: number, status: number | string): void => {
    const pid = processOf(tid, at);
    if (tid === pid) {
      const proc = processes.get(pid);
      if (proc) {
        proc.exit = status;
        proc.exitedAt = at;
      }
    }
    if (tid === pid) {
      cwdOf.delete(pid);
      nsProcesses.delete(pid);
    }
    tgidOf.delete(tid);
    pending.delete(tid);
    settleProvisional();
  };

  const handleStatusLine = (tid: number, at: number, rest: string): boolean => {
    const exited = /^\+\+\+ exited with (-?\d+) \+\+\+$/.exec(rest);
    if (exited) {
      handleExit(tid, at, Number(exited[1]));
      return true;
    }
    const killed = /^\+\+\+ killed by (\w+)(?: \(core dumped\))? \+\+\+$/.exec(rest);
    if (killed) {
      handleExit(tid, at, killed[1]!);
      return true;
    }
    // The leader's old thread gave way to a thread that called execve; the exec line says the rest.
    return /^\+\+\+ superseded by execve in pid \d+ \+\+\+$/.test(rest);
  };

  const handleClone = (call: Call): void => {
    if (call.ret.kind !== 'value' || call.ret.value <= 0) return;
    const argsText = call.args.join(', ');
    const thread = call.name !== 'fork' && call.name !== 'vfork' && /\bCLONE_THREAD\b/.test(argsText);
    const birth: Birth = {
      value: call.ret.hostValue ?? call.ret.value,
      // Inside a pid namespace the number is the namespace's, not the host tid strace prefixes lines with.
      exact: call.ret.hostValue !== undefined || !nsProcesses.has(call.pid),
      certain: call.ret.hostValue !== undefined,
      creator: call.pid,
      thread,
      newPidNs: !thread && /\bCLONE_NEWPID\b/.test(argsText),
      at: call.at,
    };
    if (!thread) {
      const parent = recorder.parentOfClone(call.pid, argsText);
      if (parent !== undefined) birth.parent = parent;
    }
    forgetStaleTid(birth);
    const early = earlyChild(birth);
    if (early !== undefined) {
      attach(early, birth);
    } else {
      awaitBirth(awaiting, birth);
    }
    settleProvisional();
  };

  /**
   * The kernel never hands out a live tid, so a mapping for the new number is left over from a thread whose
   * end strace did not print (threads vanish when another thread execs): forget it, or the new child's lines
   * would land in the old process.
   */
  const forgetStaleTid = (birth: Birth): void => {
    const mapped = tgidOf.get(birth.value);
    if (!birth.exact || mapped === undefined || provisional.has(birth.value)) return;
    const orphan =
      mapped === birth.value && birth.value !== rootPid && processes.get(mapped)?.parent === undefined;
    if (!orphan) tgidOf.delete(birth.value);
  };

  /** A tid that printed after this clone began, before it returned: the child, when it is the same number or fits. */
  const earlyChild = (birth: Birth): number | undefined => {
    if (provisional.has(birth.value)) return birth.value;
    const existing = processes.get(birth.value);
    // A tid that printed with no clone pending (should not happen; adopt it rather than lose its parent).
    if (existing && birth.value !== rootPid && existing.parent === undefined && existing.exit === undefined)
      return tgidOf.has(birth.value) ? birth.value : undefined;
    if (birth.exact) return undefined;
    let best: number | undefined;
    let bestMisfit = Number.POSITIVE_INFINITY;
    for (const [tid, early] of provisional) {
      if (early.since < birth.at) continue;
      const score = nsOffset === undefined ? 0 : misfit(tid, birth);
      if (score < bestMisfit) {
        best = tid;
        bestMisfit = score;
      }
    }
    if (best === undefined) return undefined;
    // A poor fit may be the child of another clone still pending: let that one claim it first.
    if (nsOffset !== undefined && bestMisfit !== 0 && pendingClones().length > 0) return undefined;
    nsOffset = best - birth.value;
    return best;
  };

  const handleExec = (call: Call): void => {
    const exec = execOf(call, syntax, (env) => {
      // Only when nothing better is known (the traced root without rootCwd): PWD is the shell's idea of the cwd.
      const pwd = env.PWD;
      if (!cwdOf.has(call.pid) && pwd?.startsWith('/')) cwdOf.set(call.pid, posix.resolve(pwd));
    });
    if (!recorder.addExec(call.pid, exec) || !exec.result.ok) return;
    // A non-leader thread that execs takes over the leader's pid.
    if (call.tid !== call.pid) tgidOf.delete(call.tid);
  };

  /** exit_group's status, in case its `+++ exited` line never comes. */
  const handleExitCall = (call: Call): boolean => {
    if (call.name !== 'exit_group' && call.name !== 'exit') return false;
    const proc = processes.get(call.pid);
    const status = Number(call.args[0]);
    if (call.name === 'exit_group' && proc && Number.isInteger(status)) {
      proc.exit = status;
      proc.exitedAt = call.at;
    }
    return true;
  };

  const handlers: CallHandlers<Call> = {
    clone: handleClone,
    exec: handleExec,
    cwd: (pid, dir) => cwdOf.set(pid, dir),
    emit,
    special: handleExitCall,
  };
  const dispatch = (call: Call): void => dispatchCall(call, syntax, handlers);

  /** `name(args…) = ret` as one text (an unfinished call's halves already joined). */
  const handleCall = (tid: number, at: number, text: string, line: string): void => {
    const name = CALL.exec(text)?.[1];
    const list = name ? splitList(text, name.length + 1) : undefined;
    const ret = list ? parseReturn(text.slice(list.end)) : undefined;
    if (!name || !list || !ret) {
      noteUnparsed(line);
      return;
    }
    dispatch({ name, args: list.items, ret, result: toResult(ret), at, tid, pid: processOf(tid, at) });
  };

  const handleLine = (line: string): void => {
    const m = LINE.exec(line);
    if (!m) {
      noteUnparsed(line);
      return;
    }
    const tid = Number(m[1]);
    const at = m[2] === undefined ? 0 : Number(m[2]) * 1000 + Number(m[3]!.padEnd(6, '0').slice(0, 6)) / 1000;
    const rest = m[4]!;
    if (rest.startsWith('+++ ')) {
      if (!handleStatusLine(tid, at, rest)) noteUnparsed(line);
      return;
    }
    if (rest.startsWith('--- ')) return; // signal delivery
    const resumed = RESUMED.exec(rest);
    if (resumed) {
      const name = resumed[1]!;
      const head = takePending(tid, name);
      // `<... read resumed> <unfinished ...>) = ?`: the process died inside the call.
      const tail = resumed[2]!.replace(/^\s*<unfinished \.\.\.>/, '');
      if (!head) {
        noteUnparsed(line);
        return;
      }
      handleCall(head.tid, head.at, head.text + tail, line);
      return;
    }
    if (rest.endsWith(UNFINISHED)) {
      const name = CALL.exec(rest)?.[1];
      if (!name) {
        noteUnparsed(line);
        return;
      }
      processOf(tid, at);
      pending.set(tid, { name, text: rest.slice(0, -UNFINISHED.length).replace(/ $/, ''), at, tid });
      return;
    }
    const changed = PID_CHANGED.exec(rest);
    if (changed) {
      // A non-leader thread's execve: strace resumes it under the leader's pid.
      const name = CALL.exec(rest)?.[1];
      if (!name) {
        noteUnparsed(line);
        return;
      }
      processOf(tid, at);
      pending.set(Number(changed[1]), { name, text: rest.slice(0, changed.index), at, tid });
      return;
    }
    if (rest.endsWith('<detached ...>')) return;
    handleCall(tid, at, rest, line);
  };

  /** An exec from another thread of this process may resume under the leader without a `<pid changed>` note. */
  const takePending = (tid: number, name: string): Pending | undefined =>
    takeUnfinished(pending, tid, name, tgidOf.get(tid) ?? tid, (p) => tgidOf.get(p.tid) ?? p.tid);

  return {
    push(line: string): void {
      try {
        if (line.length > MAX_LINE_CHARS) {
          noteUnparsed(line);
          return;
        }
        const trimmed = line.replace(/\r?\n$/, '');
        if (trimmed.trim() === '') return;
        handleLine(trimmed);
      } catch {
        noteUnparsed(String(line));
      }
    },
    finish(): TraceLog {
      // Children that never printed a line (killed while `-e signal=none` hides it): their clone's number is
      // their pid, unless it came from inside a pid namespace.
      for (const birth of awaiting) {
        if (birth.exact && !birth.thread && !processes.has(birth.value)) attach(birth.value, birth);
      }
      awaiting.length = 0;
      pending.clear();
      provisional.clear();
      return recorder.finish();
    },
  };
}

function toResult(ret: ParsedReturn): SyscallResult {
  if (ret.kind === 'value') return { ok: true, value: ret.value };
  if (ret.kind === 'error') return { ok: false, errno: ret.errno };
  return { ok: false, errno: ret.errno ?? '?' };
}
