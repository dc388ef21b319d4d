import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One sandbox end-to-end file at a time on this machine: they share the host tripwire table and
 * each sandbox run is heavy (two strace'd runs). A directory is the lock (mkdir is atomic); a lock
 * whose owner process is gone is taken over. Not under /tmp/bulwark-sandbox-*, which the tests
 * require to be empty of their own runs.
 */
const LOCK = '/tmp/bulwark-e2e-sandbox.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const acquireSandboxLock = async (timeoutMs: number): Promise<() => void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/pid`, String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(LOCK, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = 0;
    try {
      owner = Number(readFileSync(`${LOCK}/pid`, 'utf8'));
    } catch {}
    // No pid yet: the owner is between mkdir and writeFile; only a long-empty lock is stale.
    if (owner > 0 && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK} (held by pid ${owner || '?'})`);
    await sleep(500);
  }
};
