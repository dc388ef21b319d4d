import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultDbPath } from '../../core/paths.js';
import { databaseAgeDays, databaseWarnings } from '../../intel/database-age.js';
import { type ImportResult, importOsv } from '../../intel/import.js';
import { DEFAULT_OSV_URL, updateFromUrl } from '../../intel/update.js';
import { openStore } from '../../store/open-store.js';
import type { DbStatus } from '../../store/store.js';
import { UsageError } from '../usage-error.js';

type Write = (text: string) => void;
const stdout: Write = (text) => process.stdout.write(text);
const stderr: Write = (text) => process.stderr.write(text);

const DB_OPTION = [
  '--db <path>',
  'advisory database (default: $BULWARK_DB or the per-user data directory)',
] as const;

export const registerDb = (program: Command): void => {
  const db = program.command('db').description('manage the local advisory database');

  db.command('import')
    .description(
      'import OSV advisories: an OSV all.zip, a directory of OSV/GitHub advisory JSON files, or one file',
    )
    .argument('<path...>', 'zip, directory or JSON file; each path is imported in its own transaction')
    .option(...DB_OPTION)
    .action(async (paths: string[], flags: { db?: string }) => {
      await runDbImport(flags.db ?? defaultDbPath(), paths);
    });

  db.command('update')
    .description("download OSV's npm advisories and import what changed")
    .option('--url <url>', 'export to download (default: $BULWARK_OSV_URL or OSV’s npm all.zip)')
    .option(...DB_OPTION)
    .action(async (flags: { db?: string; url?: string }) => {
      await runDbUpdate(
        flags.db ?? defaultDbPath(),
        flags.url ?? process.env.BULWARK_OSV_URL ?? DEFAULT_OSV_URL,
      );
    });

  db.command('status')
    .description('show what the database holds and how old it is')
    .option('--format <format>', 'text or json', 'text')
    .option(...DB_OPTION)
    .action(async (flags: { db?: string; format: string }) => {
      if (flags.format !== 'text' && flags.format !== 'json')
        throw new UsageError(`--format must be text or json, got "${flags.format}"`);
      await runDbStatus(flags.db ?? defaultDbPath(), flags.format);
    });
};

export const runDbImport = async (dbPath: string, paths: string[], write: Write = stdout): Promise<void> => {
  const store = await openStore(dbPath);
  try {
    for (const path of paths) write(`${formatImport(path, await importOsv(store, path))}\n`);
  } finally {
    await store.close();
  }
};

export const formatImport = (label: string, result: ImportResult): string => {
  const rate = result.seconds > 0 ? Math.round(result.read / result.seconds) : result.read;
  return (
    `${label}: read ${result.read}, added ${result.added}, updated ${result.updated}, ` +
    `unchanged ${result.unchanged}, skipped ${result.skipped} (not npm) in ${result.seconds.toFixed(1)}s (${rate} records/s)`
  );
};

export const runDbUpdate = async (
  dbPath: string,
  url: string,
  write: Write = stdout,
  options: { retries?: number; backoffMs?: number; timeoutMs?: number } = {},
): Promise<void> => {
  const store = await openStore(dbPath);
  try {
    const result = await updateFromUrl(store, {
      url,
      ...options,
      onRetry: (attempt, reason, waitMs) =>
        stderr(`bulwark: ${reason}; retry ${attempt} in ${(waitMs / 1000).toFixed(1)}s\n`),
    });
    if (result.status === 'not-modified') {
      const status = await store.status();
      write(`already up to date (${status.advisories} advisories from ${url})\n`);
    } else
      write(
        `${formatImport(url, result.import)}; downloaded ${(result.bytes / 1024 / 1024).toFixed(1)} MiB\n`,
      );
  } finally {
    await store.close();
  }
};

/** Status of the database; a missing file is reported, not created. */
export const runDbStatus = async (
  dbPath: string,
  format: 'text' | 'json',
  write: Write = stdout,
  now: Date = new Date(),
): Promise<void> => {
  let status: DbStatus | undefined;
  if (existsSync(dbPath)) {
    const store = await openStore(dbPath);
    try {
      status = await store.status();
    } finally {
      await store.close();
    }
  }
  const warnings = databaseWarnings(dbPath, status, now);
  if (format === 'json') {
    const ageDays = status ? databaseAgeDays(status, now) : undefined;
    const body = status
      ? { exists: true, ...status, ...(ageDays !== undefined ? { ageDays } : {}), warnings }
      : { exists: false, location: dbPath, warnings };
    write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  write(formatStatus(dbPath, status, now));
  for (const warning of warnings) stderr(`bulwark: warning: ${warning}\n`);
};

export const formatStatus = (
  dbPath: string,
  status: DbStatus | undefined,
  now: Date = new Date(),
): string => {
  if (!status) return `database: ${dbPath} (does not exist)\n`;
  const age = databaseAgeDays(status, now);
  const lines = [
    `database: ${status.location} (schema ${status.schemaVersion})`,
    `advisories: ${status.advisories} (${status.vulnerabilities} vulnerabilities, ${status.malware} malware, ${status.withdrawn} withdrawn)`,
    `packages: ${status.packages}`,
    `newest advisory: ${status.newestModified ?? '-'}`,
    `last update: ${status.lastImportAt ? `${status.lastImportAt} (${age} day${age === 1 ? '' : 's'} ago)` : 'never'}`,
  ];
  if (status.sources.length > 0) lines.push('sources:');
  for (const source of status.sources)
    lines.push(
      `  ${source.name}: ${source.location}, ${source.entries} entries, imported ${source.importedAt}`,
    );
  return `${lines.join('\n')}\n`;
};
