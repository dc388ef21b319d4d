/** Plain-text pieces both human renderers share. Nothing here is escaped: each renderer escapes for its format. */
import type { Actor, NetworkAttempt, SandboxReport } from '../types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** `left-padder@1.0.0` (or the source when the name is unknown). */
export const packageLabel = (report: SandboxReport): string =>
  report.package.name
    ? `${report.package.name}${report.package.version ? `@${report.package.version}` : ''}`
    : report.package.source;

/** `default/install pid 4111 (postinstall of evil)`. */
export const actorLabel = (actor: Actor | undefined): string => {
  if (!actor) return 'unattributed';
  const role = actor.script
    ? ` ${actor.script} of ${actor.package ?? '?'}`
    : actor.package
      ? ` ${actor.package}`
      : '';
  return `${actor.run}/${actor.phase} pid ${actor.pid}${role}`;
};

export const commandText = (argv: readonly string[], max = 160): string => {
  const line = argv.map((arg) => (arg === '' || /[\s'"]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** `tcp files.filedrop.invalid:443 (198.18.0.2) sni files.filedrop.invalid · 14 bytes`. */
export const attemptLine = (attempt: NetworkAttempt): string => {
  const where = attempt.host ?? attempt.address ?? 'unknown';
  const port = attempt.port !== undefined ? `:${attempt.port}` : '';
  const address =
    attempt.host && attempt.address && attempt.address !== attempt.host ? ` (${attempt.address})` : '';
  const parts = [`${attempt.protocol} ${where}${port}${address}`];
  if (attempt.literalIp && attempt.protocol !== 'dns') parts.push('literal IP');
  if (attempt.sni && attempt.sni !== attempt.host) parts.push(`sni ${attempt.sni}`);
  if (attempt.intercepted) parts.push('decrypted');
  if (attempt.http)
    parts.push(
      `${attempt.http.method} ${attempt.http.target}${attempt.http.host ? ` (Host ${attempt.http.host})` : ''}`,
    );
  if (attempt.protocol === 'dns')
    parts.push(`query to resolver ${attempt.resolver ?? attempt.address ?? '?'}`);
  else parts.push(attempt.bytesSent > 0 ? `${attempt.bytesSent} bytes` : 'nothing received');
  return parts.join(' · ');
};

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `install ok 12.3 s · import time-limit 30.0 s (2 lingering)`. */
export const phasesLine = (run: SandboxReport['runs'][number]): string =>
  run.phases
    .map(
      (phase) =>
        `${phase.name} ${phase.status} ${seconds(Math.max(0, phase.endedAt - phase.startedAt))}` +
        (phase.lingering > 0 ? ` (${phase.lingering} lingering)` : '') +
        (phase.note ? ` (${phase.note})` : ''),
    )
    .join(' · ');

export type ProcessRow = { depth: number; process: SandboxReport['processes'][number] };

/** The package's processes as a tree per run (lifecycle scripts and loaders at the roots), at most `limit` rows. */
export const packageProcessTree = (
  report: SandboxReport,
  limit = 200,
): { rows: ProcessRow[]; omitted: number } => {
  const rows: ProcessRow[] = [];
  let omitted = 0;
  const own = report.processes.filter((p) => p.ofPackage);
  const key = (run: string, pid: number | undefined) => `${run}\0${pid}`;
  const ids = new Set(own.map((p) => key(p.run, p.pid)));
  const children = new Map<string, typeof own>();
  for (const process of own) {
    const parent = key(process.run, process.parent);
    const list = children.get(parent) ?? [];
    list.push(process);
    children.set(parent, list);
  }
  const visit = (process: (typeof own)[number], depth: number, seen: Set<string>): void => {
    const id = key(process.run, process.pid);
    if (seen.has(id)) return;
    seen.add(id);
    if (rows.length >= limit) {
      omitted++;
    } else rows.push({ depth, process });
    for (const child of children.get(id) ?? []) visit(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const process of own) if (!ids.has(key(process.run, process.parent))) visit(process, 0, seen);
  return { rows, omitted };
};

/** Files worth a human's look: sensitive, honeytoken, persistence, or written outside the package. */
export const notableFiles = (report: SandboxReport) =>
  report.files.filter((file) => file.sensitive || file.honeytoken || file.persistence || file.outsidePackage);

export const fileTags = (file: SandboxReport['files'][number]): string[] => {
  const tags: string[] = [];
  if (file.honeytoken) tags.push(`honeytoken ${file.honeytoken}`);
  if (file.sensitive) tags.push(file.sensitive);
  if (file.persistence) tags.push(`persistence: ${file.persistence}`);
  if (file.outsidePackage) tags.push('outside package');
  return tags;
};
