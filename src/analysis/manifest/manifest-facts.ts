import { isRecord, kindOf } from '../../core/shape.js';
import type { ManifestFacts } from '../types.js';
import { classifyInstallScript, type InstallScriptFact } from './install-script.js';
import { classifySpec, type RemoteSpecKind } from './remote-spec.js';
import { normaliseRepositoryUrl } from './repository-url.js';

/** Hooks npm runs when the package is installed (prepare* only for git and local installs). */
export const INSTALL_HOOKS = [
  'preinstall',
  'install',
  'postinstall',
  'preprepare',
  'prepare',
  'postprepare',
] as const;

/** Dependency fields whose entries a consumer's install fetches. */
const INSTALLED_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies'] as const;

export type RemoteDependency = { name: string; spec: string; kind: RemoteSpecKind; field: string };

/** ManifestFacts plus the detail extraction finds; assignable wherever ManifestFacts is expected. */
export type ExtractedManifestFacts = ManifestFacts & {
  remoteDependencies: RemoteDependency[];
  scriptFacts: InstallScriptFact[];
  /** Shape problems in the manifest, one line each with a JSON path. Extraction never throws. */
  problems: string[];
};

const MAX_COMMAND_LENGTH = 100_000;
const MAX_ENTRIES = 10_000;

/**
 * The facts of a package's own package.json (the copy in the tarball: that is what npm runs) and
 * of its files. `manifest` is untrusted: any shape is accepted, oddities become `problems`.
 */
export const extractManifestFacts = (
  manifest: unknown,
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
): ExtractedManifestFacts => {
  const problems: string[] = [];
  const doc = isRecord(manifest) ? manifest : undefined;
  if (!doc) problems.push(`$ must be an object, got ${kindOf(manifest)}`);
  const text = (key: string): string | undefined => {
    const value = doc?.[key];
    if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
    problems.push(`$.${key} must be a string, got ${kindOf(value)}`);
    return undefined;
  };

  const facts: ExtractedManifestFacts = {
    name: text('name') ?? '',
    version: text('version') ?? '',
    installScripts: {},
    remoteDependencies: [],
    bin: {},
    scriptFacts: [],
    problems,
  };

  const scripts = doc?.scripts;
  if (scripts !== undefined && !isRecord(scripts))
    problems.push(`$.scripts must be an object, got ${kindOf(scripts)}`);
  const installScripts: Record<string, string> = {};
  for (const hook of INSTALL_HOOKS) {
    const command = isRecord(scripts) && Object.hasOwn(scripts, hook) ? scripts[hook] : undefined;
    if (command === undefined) continue;
    if (typeof command !== 'string') {
      problems.push(`$.scripts.${hook} must be a string, got ${kindOf(command)}`);
      continue;
    }
    const clipped = command.length > MAX_COMMAND_LENGTH ? command.slice(0, MAX_COMMAND_LENGTH) : command;
    installScripts[hook] = clipped;
    facts.scriptFacts.push(classifyInstallScript(hook, clipped, files));
  }
  facts.installScripts = installScripts;

  const gyp = files.get('binding.gyp');
  if (gyp)
    facts.bindingGyp = {
      commands: gypCommands(new TextDecoder('utf-8', { fatal: false }).decode(gyp.bytes)),
    };

  for (const field of INSTALLED_DEPENDENCY_FIELDS) {
    for (const [name, spec] of stringEntries(doc?.[field], `$.${field}`, problems)) {
      const kind = classifySpec(spec);
      if (kind !== 'registry') facts.remoteDependencies.push({ name, spec, kind, field });
    }
  }

  facts.bin = binOf(doc?.bin, facts.name, problems);
  const main = text('main');
  if (main !== undefined) facts.main = main;
  const repository = repositoryOf(doc?.repository, problems);
  if (repository !== undefined) facts.repository = repository;
  return facts;
};

/** `{ key: string }` entries of an untrusted object, skipping (and reporting) anything else. */
export const stringEntries = (value: unknown, path: string, problems: string[]): [string, string][] => {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) {
    problems.push(`${path} must be an object, got ${kindOf(value)}`);
    return [];
  }
  const out: [string, string][] = [];
  for (const [key, entry] of Object.entries(value).slice(0, MAX_ENTRIES)) {
    if (key === '__proto__') {
      problems.push(`${path} has a "__proto__" key, ignored`);
    } else if (typeof entry === 'string') out.push([key, entry]);
    else problems.push(`${path}.${key} must be a string, got ${kindOf(entry)}`);
  }
  return out;
};

const binOf = (value: unknown, name: string, problems: string[]): Record<string, string> => {
  if (typeof value === 'string') {
    // A string bin is installed under the package name, without its scope.
    const command = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
    return command === '' || command === '__proto__' ? {} : Object.fromEntries([[command, value]]);
  }
  return Object.fromEntries(stringEntries(value, '$.bin', problems));
};

const repositoryOf = (value: unknown, problems: string[]): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const raw = typeof value === 'string' ? value : isRecord(value) ? value.url : undefined;
  if (typeof raw !== 'string') {
    problems.push(`$.repository must be a string or an object with a url, got ${kindOf(value)}`);
    return undefined;
  }
  return normaliseRepositoryUrl(raw) ?? raw.trim();
};

const MAX_GYP_COMMANDS = 100;

/**
 * `<!(cmd)` and `<!@(cmd)` expansions in binding.gyp: gyp runs each as a shell command while
 * configuring, so a package with no install script can still run code at install.
 */
export const gypCommands = (text: string): string[] => {
  const out: string[] = [];
  const opener = /<!@?(?:pymod_do_main)?\(/g;
  for (let match = opener.exec(text); match && out.length < MAX_GYP_COMMANDS; match = opener.exec(text)) {
    let depth = 1;
    let end = opener.lastIndex;
    while (end < text.length && depth > 0) {
      const ch = text[end];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      end++;
    }
    out.push(text.slice(opener.lastIndex, depth === 0 ? end - 1 : end).trim());
    opener.lastIndex = end;
  }
  return out;
};
