/**
 * The first half of a call (strace's `<unfinished ...>` line, gVisor's entry line) that a second half
 * printed by thread `tid` finishes: the thread's own, else — execve only — one of another thread of the
 * same process, as the thread that execs takes over the leader's id and its result is printed under that.
 * `halves` is keyed by the thread each half is expected back on; the half found is removed.
 */
export function takeUnfinished<T extends { name: string }>(
  halves: Map<number, T>,
  tid: number,
  name: string,
  pid: number,
  pidOf: (half: T) => number,
): T | undefined {
  const own = halves.get(tid);
  if (own && own.name === name) {
    halves.delete(tid);
    return own;
  }
  if (name !== 'execve' && name !== 'execveat') return undefined;
  for (const [key, half] of halves) {
    if (half.name === name && pidOf(half) === pid) {
      halves.delete(key);
      return half;
    }
  }
  return undefined;
}
