/**
 * The files part of the report: what package processes read, wrote, deleted and ran, merged per
 * path and process, with sensitive files, honeytokens, persistence targets and writes outside the
 * package marked. Noise (the runtime's libraries, /proc/self, the package reading its own files)
 * is dropped; failed calls are left to the rules, which see every attempt.
 */
import type { Actor, FileActivity, TraceEvent } from '../types.js';
import type { ProcessInfo } from './attribute.js';
import {
  inTempDir,
  isNoiseRead,
  isNoiseWrite,
  isUnder,
  type PathContext,
  persistenceTarget,
  type SensitiveCategory,
  sensitiveCategory,
} from './classify-path.js';
import type { RunView } from './run-view.js';

export type FileOperation = FileActivity['operations'][number];

const OPERATION_ORDER: readonly FileOperation[] = [
  'read',
  'write',
  'create',
  'delete',
  'rename',
  'chmod',
  'mkdir',
  'link',
  'exec',
];
/** Everything but reading and running changes the file system. */
const WRITES: ReadonlySet<FileOperation> = new Set(
  OPERATION_ORDER.filter((operation) => operation !== 'read' && operation !== 'exec'),
);

export const isWriteOperation = (operation: FileOperation): boolean => WRITES.has(operation);

/** One path an event touched and how; `rename` and `link` touch two. */
export type Touch = { path: string; operations: FileOperation[] };

export const touchesOf = (event: TraceEvent): Touch[] => {
  switch (event.kind) {
    case 'open': {
      const operations: FileOperation[] = [];
      if (event.access !== 'write') operations.push('read');
      if (event.access !== 'read') operations.push('write');
      if (event.flags.includes('O_CREAT')) operations.push('create');
      return [{ path: event.path, operations }];
    }
    case 'unlink':
      return [{ path: event.path, operations: ['delete'] }];
    case 'rename':
      return [
        { path: event.from, operations: ['rename', 'delete'] },
        { path: event.to, operations: ['rename', 'write'] },
      ];
    case 'mkdir':
      return [{ path: event.path, operations: ['mkdir'] }];
    case 'chmod':
      return [{ path: event.path, operations: ['chmod'] }];
    case 'link':
      return [{ path: event.to, operations: ['link', 'write'] }];
    default:
      return [];
  }
};

export const contextOf = (view: RunView): PathContext => ({
  home: view.record.identity.home,
  project: view.record.identity.project,
});

/** Honeytoken id per planted file path. */
export const honeytokenFiles = (view: RunView): Map<string, string> => {
  const files = new Map<string, string>();
  for (const token of view.record.honeytokens.tokens)
    for (const file of token.files) files.set(file, token.id);
  return files;
};

/** The sensitive category of a path in this run: the classifier's, or `bait` under a planted bait path. */
export const sensitiveIn = (view: RunView, path: string): SensitiveCategory | undefined =>
  sensitiveCategory(path, contextOf(view)) ??
  (view.record.honeytokens.baitPaths.some((bait) => isUnder(path, bait)) ? 'bait' : undefined);

/** A write outside the writer's own package directory and the temp dirs. */
export const isOutsidePackage = (path: string, info: ProcessInfo): boolean =>
  !(info.packageRoot && isUnder(path, info.packageRoot)) && !inTempDir(path);

const SYSTEM_EXEC = /^\/(?:usr|bin|sbin|lib|lib64)\//;

/** Merged file activity of one run's package processes. */
export const observeFiles = (view: RunView): FileActivity[] => {
  const context = contextOf(view);
  const tokens = honeytokenFiles(view);
  const merged = new Map<string, { entry: FileActivity; operations: Set<FileOperation> }>();
  // The import/execute loader is ours even though its process is the package's: its own script
  // and runtime files are not the package's reads.
  const loaderFiles = new Set<string>();
  for (const phase of view.record.phases) {
    const top = phase.pid === undefined ? undefined : view.processes.get(phase.pid);
    if (!top || phase.name === 'install') continue;
    for (const arg of top.command) if (arg.startsWith('/')) loaderFiles.add(arg);
    if (top.execPath) loaderFiles.add(top.execPath);
  }
  const add = (path: string, operations: FileOperation[], info: ProcessInfo, actor: Actor): void => {
    const sensitive = sensitiveIn(view, path);
    const honeytoken = tokens.get(path);
    const kept = operations.filter((operation) => {
      if (sensitive || honeytoken) return true;
      if (operation === 'exec') return !SYSTEM_EXEC.test(path);
      if (operation === 'read')
        return !isNoiseRead(path, context, info.packageRoot) && !loaderFiles.has(path);
      return !isNoiseWrite(path);
    });
    if (kept.length === 0) return;
    const key = `${info.pid}\0${path}`;
    let slot = merged.get(key);
    if (!slot) {
      const entry: FileActivity = { path, operations: [], actor };
      if (sensitive) entry.sensitive = sensitive;
      if (honeytoken) entry.honeytoken = honeytoken;
      slot = { entry, operations: new Set() };
      merged.set(key, slot);
    }
    for (const operation of kept) slot.operations.add(operation);
    if (kept.some(isWriteOperation)) {
      const persistence = persistenceTarget(path, context, info.packageRoot);
      if (persistence) slot.entry.persistence = persistence;
      if (isOutsidePackage(path, info)) slot.entry.outsidePackage = true;
    }
  };

  for (const { event, info, actor } of view.events) {
    if (!event.result.ok) continue;
    if (event.kind === 'open' && event.flags.includes('O_DIRECTORY')) {
      const path = event.path;
      if (!sensitiveIn(view, path)) continue;
    }
    for (const touch of touchesOf(event)) add(touch.path, touch.operations, info, actor);
  }
  for (const { exec, info, actor } of view.execs) if (exec.result.ok) add(exec.path, ['exec'], info, actor);

  return [...merged.values()].map(({ entry, operations }) => ({
    path: entry.path,
    operations: OPERATION_ORDER.filter((operation) => operations.has(operation)),
    ...(entry.sensitive !== undefined ? { sensitive: entry.sensitive } : {}),
    ...(entry.honeytoken !== undefined ? { honeytoken: entry.honeytoken } : {}),
    ...(entry.persistence !== undefined ? { persistence: entry.persistence } : {}),
    ...(entry.outsidePackage ? { outsidePackage: true } : {}),
    ...(entry.actor !== undefined ? { actor: entry.actor } : {}),
  }));
};
