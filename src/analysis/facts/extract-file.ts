import { createLineIndex, type LineIndex, parseSource, tokenize } from '../parse/index.js';
import type { CodeFact, FileStats } from '../types.js';
import { walkAst } from './ast-facts.js';
import { createCollector, DEFAULT_MAX_FACTS } from './collector.js';
import { clip } from './excerpt.js';
import { fileStatsForText } from './file-stats.js';
import { scanText } from './text-signals.js';
import { walkTokens } from './token-facts.js';

export { fileStatsForBytes } from './file-stats.js';

export type ExtractOptions = {
  /** Most facts kept for one file (default 2000; per-kind caps apply below it). */
  maxFacts?: number;
  /** Most AST nodes visited (default 4M). */
  maxNodes?: number;
  /** Wall-clock budget for the AST walk, in ms (default 5000); the parse itself is not interruptible. */
  timeBudgetMs?: number;
  /** Longest text parsed (default: parseSource's 5 Mi); longer files go to the token layer. */
  maxParseLength?: number;
  /** Most tokens read for a file that does not parse (default 1M). */
  maxTokens?: number;
};

export type FileFacts = { stats: FileStats; facts: CodeFact[] };

const OBFUSCATOR_MIN_NAMES = 20;
const OBFUSCATOR_MIN_SHARE = 0.1;

/**
 * Facts of one JavaScript file (see ../types.ts). Never throws: an internal failure is recorded in
 * `stats.parseError` and the facts gathered so far are returned.
 */
export const extractFileFacts = (file: string, text: string, options: ExtractOptions = {}): FileFacts => {
  const stats = fileStatsForText(file, text);
  let index: LineIndex | undefined;
  let positionAt = (offset: number) => {
    index ??= createLineIndex(text);
    return index.positionAt(offset);
  };
  const out = createCollector(
    file,
    text,
    (offset) => positionAt(offset),
    options.maxFacts ?? DEFAULT_MAX_FACTS,
  );
  let walkTruncated = false;
  try {
    scanText(file, text, out);
    const parsed = parseSource(text, file, {
      comments: false,
      ...(options.maxParseLength === undefined ? {} : { maxLength: options.maxParseLength }),
    });
    let names: { identifiers: number; hexIdentifiers: number };
    if (parsed.ok) {
      stats.parsed = true;
      positionAt = parsed.positionAt;
      const walk = walkAst(parsed.program, text, out, {
        maxNodes: options.maxNodes ?? 4_000_000,
        deadline: Date.now() + (options.timeBudgetMs ?? 5000),
      });
      walkTruncated = walk.truncated;
      names = walk;
    } else {
      const { line, column, message } = parsed.error;
      stats.parseError = `${parsed.reason}: ${clip(message, 200)}${line > 0 ? ` (${line}:${column})` : ''}`;
      const { tokens, truncated } = tokenize(text, {
        comments: false,
        maxTokens: options.maxTokens ?? 1_000_000,
      });
      walkTruncated = truncated;
      names = walkTokens(tokens, text, out);
    }
    if (
      names.hexIdentifiers >= OBFUSCATOR_MIN_NAMES &&
      names.hexIdentifiers / Math.max(1, names.identifiers) >= OBFUSCATOR_MIN_SHARE
    ) {
      out.add({
        kind: 'obfuscation',
        signal: 'obfuscator-identifiers',
        detail: `${names.hexIdentifiers} of ${names.identifiers} identifiers are _0x… names`,
        at: out.at(0),
      });
    }
  } catch (error) {
    // A bug or resource failure in extraction must cost one file's facts, not the scan.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    stats.parseError = `${stats.parseError ? `${stats.parseError}; ` : ''}extraction stopped: ${clip(message.split('\n')[0] ?? '', 200)}`;
    walkTruncated = true;
  }
  if (out.truncated || walkTruncated) stats.factsTruncated = true;
  const facts = out.facts.slice().sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  return { stats, facts };
};
