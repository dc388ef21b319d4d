import type { LockfileFormat } from '../core/graph.js';

export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun';

/** The manager whose syntax applies; `unknown` falls back to what the lockfile format implies, then npm. */
export const resolveManager = (
  manager: PackageManager | 'unknown',
  format: LockfileFormat,
): PackageManager => {
  if (manager !== 'unknown') return manager;
  if (format === 'yarn-classic' || format === 'yarn-berry') return 'yarn';
  if (format === 'pnpm-lock') return 'pnpm';
  if (format === 'bun-lock') return 'bun';
  return 'npm';
};

/** Yarn 1 and Yarn 2+ differ in commands; without a yarn.lock to tell, assume the current line (berry). */
export const isYarnClassic = (format: LockfileFormat): boolean => format === 'yarn-classic';

/** package.json field that pins a version for the whole tree. */
export const overrideField = (manager: PackageManager): string => {
  if (manager === 'yarn') return 'resolutions';
  if (manager === 'pnpm') return 'pnpm.overrides';
  return 'overrides';
};

/** What the user runs after editing package.json so the lockfile follows. */
export const installCommand = (manager: PackageManager): string => `${manager} install`;

export type RefreshTarget = {
  manager: PackageManager;
  format: LockfileFormat;
  name: string;
  direct: boolean;
  /** Direct dependencies that pull the package in, for managers that can only re-resolve those. */
  directParents: string[];
};

/**
 * The command that re-resolves `name` inside the declared ranges without touching package.json.
 * Undefined when the manager has no such command for a transitive package:
 * - npm ≥ 7 `npm update <name>` reaches nested copies too.
 * - Yarn 2+ `yarn up -R <name>` re-resolves every descriptor of the name.
 * - Yarn 1 `yarn upgrade <name>` only looks at direct dependencies (yarnpkg/yarn#8901), but upgrading
 *   a direct dependency clears its subtree from the lockfile (yarnpkg/yarn#4636), so the direct
 *   parents are upgraded instead.
 * - pnpm `pnpm update <name> --depth Infinity` walks the whole tree.
 * - bun: `bun update <name>` handles direct dependencies only.
 */
export const refreshCommand = (target: RefreshTarget): string | undefined => {
  const { manager, name } = target;
  if (manager === 'npm') return `npm update ${name}`;
  if (manager === 'pnpm') return `pnpm update ${name} --depth Infinity`;
  if (manager === 'yarn') {
    if (!isYarnClassic(target.format)) return `yarn up -R ${name}`;
    if (target.direct) return `yarn upgrade ${name}`;
    return target.directParents.length > 0 ? `yarn upgrade ${target.directParents.join(' ')}` : undefined;
  }
  return target.direct ? `bun update ${name}` : undefined;
};

export type UpgradeTarget = {
  manager: PackageManager;
  format: LockfileFormat;
  dependency: string;
  version: string;
  dev: boolean;
  /** Workspace member path (relative), when the dependency is declared by one. */
  workspace?: string;
};

/**
 * The command that moves a direct dependency to `^version` and updates the lockfile.
 * Each keeps the dependency in the section it is declared in.
 */
export const upgradeCommand = (target: UpgradeTarget): string => {
  const spec = `${target.dependency}@^${target.version}`;
  const ws = target.workspace;
  switch (target.manager) {
    case 'npm':
      return `npm install ${target.dev ? '--save-dev ' : ''}${spec}${ws ? ` --workspace ${ws}` : ''}`;
    case 'pnpm':
      return `pnpm ${ws ? `--filter ./${ws} ` : ''}add ${target.dev ? '--save-dev ' : ''}${spec}`;
    case 'yarn':
      if (isYarnClassic(target.format)) {
        return `${ws ? `(cd ${ws} && yarn upgrade ${spec})` : `yarn upgrade ${spec}`}`;
      }
      return `yarn up ${spec}`;
    case 'bun':
      return `${ws ? `(cd ${ws} && ` : ''}bun add ${target.dev ? '--dev ' : ''}${spec}${ws ? ')' : ''}`;
  }
};
