import type { DatabaseSummary } from '../core/scan-result.js';
import type { DbStatus } from '../store/store.js';

/** A database last updated longer ago than this gets a warning. */
export const STALE_AFTER_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days since the last import or update; undefined when nothing was ever imported. */
export const databaseAgeDays = (status: DbStatus, now: Date = new Date()): number | undefined => {
  if (status.lastImportAt === undefined) return undefined;
  const at = Date.parse(status.lastImportAt);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.floor((now.getTime() - at) / DAY_MS));
};

/** What a scan reports about the database it used. */
export const databaseSummary = (status: DbStatus, now: Date = new Date()): DatabaseSummary => {
  const summary: DatabaseSummary = {
    location: status.location,
    advisories: status.advisories,
    malware: status.malware,
  };
  if (status.lastImportAt !== undefined) summary.lastImportAt = status.lastImportAt;
  const age = status.advisories > 0 ? databaseAgeDays(status, now) : undefined;
  if (age !== undefined) summary.ageDays = age;
  return summary;
};

/**
 * Warnings for a scan or `db status`: the database is missing (`status` undefined), empty, or
 * older than STALE_AFTER_DAYS. One line each, ending with what to run.
 */
export const databaseWarnings = (
  location: string,
  status: DbStatus | undefined,
  now: Date = new Date(),
): string[] => {
  if (!status)
    return [
      `no advisory database at ${location}; nothing was matched against advisories (run \`bulwark db update\` or \`bulwark db import <path>\`)`,
    ];
  if (status.advisories === 0)
    return [
      `the advisory database at ${location} is empty; nothing was matched against advisories (run \`bulwark db update\` or \`bulwark db import <path>\`)`,
    ];
  const age = databaseAgeDays(status, now);
  if (age !== undefined && age > STALE_AFTER_DAYS)
    return [
      `the advisory database is ${age} days old (last updated ${status.lastImportAt}); run \`bulwark db update\``,
    ];
  return [];
};
