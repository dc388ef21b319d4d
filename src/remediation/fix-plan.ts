import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import semver from 'semver';
import type { Finding } from '../core/finding.js';
import { parseJsonInput } from '../core/input.js';
import type { ScanResult } from '../core/scan-result.js';
import { expectRecord, isRecord, type JsonRecord } from '../core/shape.js';
import { installCommand, type PackageManager, resolveManager } from './package-manager.js';

/** One value to set in package.json. */
export type ManifestEdit = {
  /** JSON path, e.g. `['overrides', 'minimist']` or `['pnpm', 'overrides', 'minimist']`. */
  path: string[];
  package: string;
  /** The value there now, when there is one. */
  from?: string;
  to: string;
  /** Ids of the findings the edit resolves. */
  findings: string[];
};

export type FixPlan = {
  manager: PackageManager;
  edits: ManifestEdit[];
  /** Lockfile refreshes inside the declared ranges, and upgrades this manifest does not declare. */
  commands: string[];
  /** What needs a human: malware to remove, findings without a fix, edits skipped. */
  notes: string[];
  /** Run after package.json is written so the lockfile follows. */
  install: string;
};

const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * Turns the remediations of a scan's unsuppressed findings into package.json edits: one per
 * package, at the highest version any finding needs.
 */
export const planFix = (
  result: ScanResult,
  manifestText: string,
  manager: PackageManager | 'unknown' = result.target.manager,
  manifestFile = 'package.json',
): FixPlan => {
  const resolved = resolveManager(manager, result.target.format);
  const manifest = expectRecord(parseJsonInput(manifestText, manifestFile), { file: manifestFile }, '$');
  const declared = declaredDependencies(manifest);
  const commands = new Set<string>();
  const notes: string[] = [];
  const upgrades = new Map<string, Wanted>();
  const overrides = new Map<string, Wanted>();

  for (const finding of result.findings) {
    if (finding.suppression) continue;
    const r = finding.remediation;
    const label = `${finding.id} (${finding.package.name}@${finding.package.version})`;
    if (r.kind === 'refresh') commands.add(r.command);
    else if (r.kind === 'upgrade') {
      if (declared.has(r.dependency)) want(upgrades, r.dependency, `^${r.to}`, [finding], notes);
      else commands.add(r.command);
    } else if (r.kind === 'override') want(overrides, r.key, r.value, [finding], notes);
    else if (r.kind === 'remove') notes.push(`${label}: ${r.advice}`);
    else notes.push(`${label}: no fix: ${r.reason}`);
  }

  const edits: ManifestEdit[] = [];
  const overrideRoot = overridePath(resolved);
  for (const [name, wanted] of overrides) {
    const path = [...overrideRoot, name];
    const current = valueAt(manifest, path);
    if (current !== undefined && typeof current !== 'string') {
      notes.push(
        `${path.join('.')} is not a plain version; set it to ${wanted.value} by hand (${wanted.findings.join(', ')})`,
      );
      continue;
    }
    const direct = declared.get(name);
    if (resolved === 'npm' && direct) {
      // npm refuses an override that conflicts with a direct dependency's spec; `$name` defers to it.
      want(upgrades, name, wanted.value, wanted.sources, notes);
      if (current !== `$${name}`) edits.push(edit(path, name, current, `$${name}`, wanted.findings));
      continue;
    }
    if (current !== undefined && covers(current, wanted.value)) continue;
    edits.push(edit(path, name, current, wanted.value, wanted.findings));
  }
  for (const [name, wanted] of upgrades) {
    const entry = declared.get(name)!;
    const to = rewriteSpec(entry.spec, wanted.value);
    if (to === undefined) {
      notes.push(`${entry.section}.${name} is "${entry.spec}"; change it to ${wanted.value} by hand`);
      continue;
    }
    if (covers(entry.spec, wanted.value)) continue;
    edits.push(edit([entry.section, name], name, entry.spec, to, wanted.findings));
  }
  return { manager: resolved, edits, commands: [...commands], notes, install: installCommand(resolved) };
};

type Wanted = { value: string; min: string; findings: string[]; sources: Finding[] };

const want = (
  into: Map<string, Wanted>,
  name: string,
  value: string,
  sources: readonly Finding[],
  notes: string[],
): void => {
  const min = semver.minVersion(value)?.version;
  if (min === undefined) return;
  const existing = into.get(name);
  const ids = [...new Set(sources.map((finding) => finding.id))];
  if (!existing) {
    into.set(name, { value, min, findings: ids, sources: [...sources] });
    return;
  }
  if (semver.major(min) !== semver.major(existing.min)) {
    notes.push(
      `${name}: copies on different majors need fixes (${existing.value} and ${value}); the highest wins, check that the older consumers still work`,
    );
  }
  if (semver.gt(min, existing.min)) {
    existing.value = value;
    existing.min = min;
  }
  for (const id of ids) if (!existing.findings.includes(id)) existing.findings.push(id);
  existing.sources.push(...sources);
};

const edit = (
  path: string[],
  name: string,
  from: string | undefined,
  to: string,
  findings: string[],
): ManifestEdit => {
  const out: ManifestEdit = { path, package: name, to, findings };
  if (from !== undefined) out.from = from;
  return out;
};

const overridePath = (manager: PackageManager): string[] => {
  if (manager === 'yarn') return ['resolutions'];
  if (manager === 'pnpm') return ['pnpm', 'overrides'];
  return ['overrides'];
};

type DeclaredDependency = { section: (typeof DEPENDENCY_SECTIONS)[number]; spec: string };

const declaredDependencies = (manifest: JsonRecord): Map<string, DeclaredDependency> => {
  const out = new Map<string, DeclaredDependency>();
  for (const section of DEPENDENCY_SECTIONS) {
    const deps = manifest[section];
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec === 'string' && !out.has(name)) out.set(name, { section, spec });
    }
  }
  return out;
};

const valueAt = (manifest: JsonRecord, path: string[]): unknown => {
  let current: unknown = manifest;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
};

/** Whether the current spec already guarantees at least the wanted minimum. */
const covers = (current: string, wanted: string): boolean => {
  const have = semver.validRange(current) === null ? undefined : semver.minVersion(current);
  const need = semver.minVersion(wanted);
  return have !== undefined && have !== null && need !== null && semver.gte(have, need);
};

/** Keeps the user's style: `~` stays `~`, an exact pin stays exact, an alias keeps its target. */
export const rewriteSpec = (spec: string, wanted: string): string | undefined => {
  const version = semver.minVersion(wanted)?.version;
  if (version === undefined) return undefined;
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(spec);
  const range = alias ? spec.slice(alias[0].length) : spec;
  let next: string;
  if (wanted === version) next = version;
  else if (range.startsWith('~')) next = `~${version}`;
  else if (semver.valid(range) !== null) next = version;
  else if (semver.validRange(range) !== null) next = `^${version}`;
  else return undefined;
  return alias ? `npm:${alias[1]}@${next}` : next;
};

/** Applies the edits to the text, keeping indentation, key order, line endings and the final newline. */
export const applyFix = (manifestText: string, edits: readonly ManifestEdit[]): string => {
  const indent = /^[ \t]+(?=")/m.exec(manifestText)?.[0] ?? '  ';
  const formattingOptions = {
    insertSpaces: !indent.includes('\t'),
    tabSize: indent.includes('\t') ? 1 : indent.length,
    eol: manifestText.includes('\r\n') ? '\r\n' : '\n',
  };
  let text = manifestText;
  for (const change of edits) {
    text = applyEdits(text, modify(text, change.path, change.to, { formattingOptions }));
  }
  return text;
};

/** Writes next to the target and renames over it, so a crash never leaves half a package.json. */
export const writeFileAtomic = (file: string, text: string): void => {
  const temp = join(dirname(file), `.${basename(file)}.bulwark-${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(temp, text, mode === undefined ? {} : { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
};
