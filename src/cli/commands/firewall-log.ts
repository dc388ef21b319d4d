import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { DecisionRecord } from '../../firewall/types.js';
import { terminalLine } from '../../report/terminal-text.js';

type FirewallLogFlags = {
  package?: string;
  action: string[];
  rule?: string;
  client?: string;
  project?: string;
  session?: string;
  since?: string;
  limit: string;
  format: 'table' | 'json';
  log?: string;
};

export type FirewallLogIo = {
  env?: NodeJS.ProcessEnv;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Table width; default: the terminal's, or unlimited when stdout is not a terminal. */
  columns?: number;
  now?: () => Date;
};

/** Adds `log` to the `firewall` command: `bulwark firewall log [filters]`. */
export const registerFirewallLog = (firewall: Command, io: FirewallLogIo = {}): Command =>
  firewall
    .command('log')
    .description('show the decisions the firewall took, newest first, filtered')
    .option('--package <name>', 'one package, or every package of a scope (@acme)')
    .option(
      '--action <action>',
      'only these outcomes: allow, warn, hide, deny (repeat or comma-separate)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--rule <rule>', 'only decisions taken by this policy rule (malware, minimumReleaseAge, …)')
    .option('--client <client>', 'only requests from npm, pnpm, yarn, bun or other')
    .option('--project <dir>', 'only requests made for this project directory (through bulwark npm|pnpm|…)')
    .option('--session <id>', 'only requests of one bulwark npm|pnpm|yarn|bun run')
    .option('--since <when>', 'only decisions since an ISO 8601 date/time or an age: 30m, 24h, 7d, 2w')
    .option('--limit <n>', 'at most this many decisions (1-10000)', '100')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--log <path>', 'the decision log (default: <data dir>/firewall/decisions.db)')
    .addHelpText(
      'after',
      `
Examples: bulwark firewall log --action deny,hide --since 24h
          bulwark firewall log --package @acme --format json
Exit codes: 0 (also when nothing has been recorded yet), 2 usage or input error.`,
    )
    .action(async (flags: FirewallLogFlags) => {
      await runFirewallLog(flags, io);
    });

/** Reads the decision log with the flags' filters and prints a table or JSON. */
export const runFirewallLog = async (flags: FirewallLogFlags, io: FirewallLogIo = {}): Promise<void> => {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  const { defaultDecisionLogPath, openDecisionLog, parseDecisionQuery } = await import(
    '../../firewall/decision-log.js'
  );
  const query = parseDecisionQuery(
    {
      ...(flags.package !== undefined ? { package: flags.package } : {}),
      ...(flags.action.length > 0 ? { action: flags.action } : {}),
      ...(flags.rule !== undefined ? { rule: flags.rule } : {}),
      ...(flags.client !== undefined ? { client: flags.client } : {}),
      ...(flags.project !== undefined ? { project: projectPath(flags.project) } : {}),
      ...(flags.session !== undefined ? { session: flags.session } : {}),
      ...(flags.since !== undefined ? { since: flags.since } : {}),
      limit: flags.limit,
    },
    io.now?.() ?? new Date(),
    (field) => `--${field}`,
  );
  const location = flags.log ?? defaultDecisionLogPath(env);
  if (!existsSync(location)) {
    // Nothing recorded yet is not an error: the firewall creates the log on its first decision.
    stderr(`bulwark: no decisions recorded yet (${location} does not exist)\n`);
    if (flags.format === 'json') stdout('[]\n');
    return;
  }
  const log = openDecisionLog(location, { readonly: true });
  let records: DecisionRecord[];
  try {
    records = log.query(query);
  } finally {
    log.close();
  }
  if (flags.format === 'json') {
    stdout(`${JSON.stringify(records, null, 2)}\n`);
    return;
  }
  if (records.length === 0) {
    stdout('no decisions match\n');
    return;
  }
  const columns = io.columns ?? (process.stdout.isTTY ? process.stdout.columns : undefined);
  stdout(formatDecisionTable(records, columns, env.HOME ?? homedir()));
  if (records.length === query.limit) stdout(`(the ${records.length} newest; --limit shows more)\n`);
};

/** As the wrapper records it: the working directory, absolute and with symlinks resolved. */
const projectPath = (dir: string): string => {
  try {
    return realpathSync(resolve(dir));
  } catch {
    return resolve(dir);
  }
};

const HEADERS = ['time', 'client', 'project', 'package', 'action', 'rule', 'reason'] as const;
/** Columns that give up width first when the table is too wide, and how narrow they may get. */
const SHRINK: [index: number, min: number][] = [
  [6, 20],
  [2, 10],
  [1, 6],
  [5, 12],
  [3, 16],
  [4, 6],
];

/** The decisions as an aligned table, cut to `width` columns when given. Text is terminal-safe. */
export const formatDecisionTable = (records: DecisionRecord[], width?: number, home?: string): string => {
  const rows = records.map((r) =>
    [
      r.time.replace(/\.\d+Z$/, 'Z'),
      r.clientVersion ?? r.client,
      r.project === undefined
        ? '-'
        : home && r.project.startsWith(`${home}/`)
          ? `~${r.project.slice(home.length)}`
          : r.project,
      `${r.package}@${r.version}`,
      r.wouldBe !== undefined ? `${r.wouldBe} (dry run)` : r.action,
      r.rule ?? '-',
      r.waiver !== undefined ? `${r.reason} (waiver ${r.waiver})` : r.reason,
    ].map(terminalLine),
  );
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  if (width !== undefined && width > 0) {
    const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
    for (const [index, min] of SHRINK) {
      const excess = total() - width;
      if (excess <= 0) break;
      widths[index] = Math.min(widths[index]!, Math.max(min, widths[index]! - excess));
    }
  }
  const cut = (text: string, w: number, index: number) => {
    if (text.length <= w) return text;
    // Paths lose their start, everything else its end.
    return index === 2 ? `…${text.slice(text.length - w + 1)}` : `${text.slice(0, w - 1)}…`;
  };
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const text = cut(cell, widths[i]!, i);
        return i === cells.length - 1 ? text : text.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  // Narrower than the narrowest columns: cut whole lines.
  const fitted = (text: string) =>
    width !== undefined && width > 0 && text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return `${[line(HEADERS), ...rows.map(line)].map(fitted).join('\n')}\n`;
};
