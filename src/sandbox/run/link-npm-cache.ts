import { createHash } from 'node:crypto';
import { chownSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

type LockEntry = { resolved?: string; integrity?: string };

/**
 * A cache of the run's own holding only what the install reads — each tarball's content and its
 * index entry, hard-linked from the shared cache — so npm commands a script runs (a worm's
 * `npm publish`, an `npx`) can write beside them, while the shared files stay untouched: they are
 * root's and read-only to the sandbox's uid; only the directories are its own.
 *
 * The paths follow cacache's layout (npm's cache since npm 5): `content-v2/<algo>/<2>/<2>/<rest
 * of the hex digest>` and `index-v5/<2>/<2>/<rest of sha256(key)>`, with make-fetch-happen's
 * key `make-fetch-happen:request-cache:<url>`. Returns false when an entry is missing or links
 * cannot be made (another filesystem): the caller then mounts the shared cache read-only.
 */
export const linkNpmCache = (
  shared: string,
  copy: string,
  lock: { packages?: Record<string, LockEntry> },
  owner: number,
): boolean => {
  const files: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || !entry.resolved || !/^https?:/.test(entry.resolved) || !entry.integrity) continue;
    const content = contentPath(entry.integrity);
    if (!content) return false;
    files.push(content, indexPath(`make-fetch-happen:request-cache:${entry.resolved}`));
  }
  try {
    const dirs = new Set<string>([copy]);
    for (const file of files) {
      const source = join(shared, file);
      // A tarball for another platform (esbuild's @esbuild/darwin-arm64) was never cached: not needed.
      if (!existsSync(source)) continue;
      const target = join(copy, file);
      for (let dir = dirname(target); dir.startsWith(copy) && !dirs.has(dir); dir = dirname(dir))
        dirs.add(dir);
      mkdirSync(dirname(target), { recursive: true });
      if (!existsSync(target)) linkSync(source, target);
    }
    mkdirSync(copy, { recursive: true });
    for (const dir of dirs) chownSync(dir, owner, owner);
    return true;
  } catch {
    rmSync(copy, { recursive: true, force: true });
    return false;
  }
};

/** `sha512-<base64>` → `content-v2/sha512/ab/cd/ef…` (the strongest hash named). */
export const contentPath = (integrity: string): string | undefined => {
  const hashes = integrity
    .trim()
    .split(/\s+/)
    .map((entry) => /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)$/.exec(entry))
    .filter((match): match is RegExpExecArray => match !== null);
  const order = ['sha512', 'sha384', 'sha256', 'sha1'];
  hashes.sort((a, b) => order.indexOf(a[1]!) - order.indexOf(b[1]!));
  const best = hashes[0];
  if (!best) return undefined;
  const hex = Buffer.from(best[2]!, 'base64').toString('hex');
  return join('content-v2', best[1]!, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
};

export const indexPath = (key: string): string => {
  const hash = createHash('sha256').update(key).digest('hex');
  return join('index-v5', hash.slice(0, 2), hash.slice(2, 4), hash.slice(4));
};
