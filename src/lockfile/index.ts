import { basename } from 'node:path';
import { InputError } from '../core/errors.js';
import { isBunLockb } from './bun-lock/bun-binary.js';
import { bunLockParser } from './bun-lock/bun-lock.js';
import { cyclonedxSbomParser } from './cyclonedx-sbom/cyclonedx-sbom.js';
import { packageJsonParser } from './package-json/package-json.js';
import { packageLockParser } from './package-lock/package-lock.js';
import { pnpmLockParser } from './pnpm-lock/pnpm-lock.js';
import type { LockfileParser } from './types.js';
import { yarnLockParser } from './yarn-lock/yarn-lock.js';

/** Every inventory format Bulwark reads. Order matters only for file-name matching. */
export const LOCKFILE_PARSERS: readonly LockfileParser[] = [
  packageLockParser,
  yarnLockParser,
  pnpmLockParser,
  bunLockParser,
  cyclonedxSbomParser,
  packageJsonParser,
];

export const PARSERS_BY_NAME: ReadonlyMap<string, LockfileParser> = new Map(
  LOCKFILE_PARSERS.map((parser) => [parser.name, parser]),
);

/** The parser whose file name this is (`package-lock.json`, `bom.json`, …), from the base name alone. */
export const parserForFile = (fileName: string): LockfileParser | undefined => {
  const base = basename(fileName);
  return LOCKFILE_PARSERS.find((parser) => parser.matches(base));
};

/** How far into a file sniffing looks; every marker sits in the first few lines. */
const SNIFF_WINDOW = 64 * 1024;

/**
 * Recognises a format from the content, for inputs whose name says nothing (`--lockfile my.lock`).
 * Cheap regexes over the head of the file; the chosen parser still validates everything.
 */
export const sniffParser = (content: string): LockfileParser | undefined => {
  const head = content.slice(0, SNIFF_WINDOW);
  if (isBunLockb(head)) return bunLockParser;
  if (/^\s*\{/.test(head)) {
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(head)) return cyclonedxSbomParser;
    if (/"lockfileVersion"\s*:/.test(head)) {
      // bun.lock: `workspaces` keyed by path with "" for the root, and packages as arrays.
      const bun =
        /"workspaces"\s*:\s*\{\s*""\s*:/.test(head) || /"packages"\s*:\s*\{\s*"[^"]*"\s*:\s*\[/.test(head);
      return bun ? bunLockParser : packageLockParser;
    }
    return undefined;
  }
  if (/^# yarn lockfile v1\b/m.test(head) || /^__metadata:/m.test(head)) return yarnLockParser;
  if (/^lockfileVersion:\s*['"]?\d/m.test(head)) return pnpmLockParser;
  return undefined;
};

export type ParserChoice = { parser: LockfileParser; warning?: string };

/**
 * Chooses the parser for a file: by name, unless the content clearly belongs to another format
 * (a yarn.lock saved as `package-lock.json`), in which case the content wins, with a warning.
 */
export const chooseParser = (path: string, content: string): ParserChoice => {
  const base = basename(path);
  const byName = parserForFile(base);
  const sniffed = sniffParser(content);
  if (byName && sniffed && byName !== sniffed) {
    return {
      parser: sniffed,
      warning: `${base} is named like ${label(byName)} but its content is ${label(sniffed)}; read it as ${label(sniffed)}`,
    };
  }
  const parser = sniffed ?? byName;
  if (parser) return { parser };
  if (content.trim() === '') throw new InputError(path, 'is empty');
  throw new InputError(
    path,
    'is not an input Bulwark recognises (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, ' +
      'bun.lock, package.json or a CycloneDX JSON SBOM)',
  );
};

const label = (parser: LockfileParser): string => parser.name.replace(/^lockfile\//, '');
