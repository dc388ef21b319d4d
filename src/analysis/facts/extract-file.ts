import { createLineIndex, type LineIndex, parseSource, tokenize } from '../parse/index.js';
import type { CodeFact, FileStats } from '../types.js';
import { walkAst } from './ast-facts.js';
import { createCollector, DEFAULT_MAX_FACTS } from './collector.js';
import { clip } from './excerpt.js';
import { fileStatsForText } from './file-stats.js';
import type { ImportTable, ModuleExports } from './module-taint.js';
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
  /** Cross-file pass: what relative imports carry (see cross-file.ts). */
  imports?: ImportTable;
};

/** `exports`: what the file's exports carry (sources), for the cross-file pass; absent when nothing. */
export type FileFacts = { stats: FileStats; facts: CodeFact[]; exports?: ModuleExports };

const OBFUSCATOR_MIN_NAMES = 20;
const OBFUSCATOR_MIN_SHARE = 0.1;

/**
 * Facts of one JavaScript file (see ../types.ts). Never throws: an internal failure is recorded in
 * `stats.parseError` and the facts gathered so far are returned.
 *
 * Conventions rules can rely on:
 * - `import.module` is the folded specifier (`node:` dropped, `fs/promises` → `fs`), `''` when it
 *   could not be folded; `computed` is true whenever the argument was not a plain string literal.
 * - `call.api` is the resolved dotted path (`child_process.exec`, `fs.promises.readFile`,
 *   `https.request().write` for a write on a request handle); `args` hold the first three arguments'
 *   folded strings, `''` where an argument is not constant.
 * - `env-read.key`: a name, `'*'` for the whole environment used as a value (serialised, spread,
 *   iterated, passed on), `'?'` for a computed key that does not fold.
 * - `url`/`ip` carry `range` for loopback, documentation, private, link-local (cloud metadata lives
 *   there), unspecified and reserved names; absent means public.
 * - `string` facts are kept only when they say something: a command, an encoded blob, a sensitive
 *   path, a sensitive module name that was built, or anything decoded (base64, char codes,
 *   reversal, `\x` escapes). One fact per distinct value; its first place.
 * - `flow` links a source (env read, os call, credential-file read, network response) to the sink
 *   argument it reaches (what is sent, run, written or evaluated). Function-scoped variable tracking
 *   plus named-function returns. Flows between files come from the package pass (cross-file.ts),
 *   which walks a file again with `imports`; `exports` is what that pass reads.
 * - TypeScript is walked once its types are stripped; locations point into the original text.
 * - `obfuscation.signal`: aliased-require, decode-eval, string-array-rotation,
 *   obfuscator-identifiers, hex-escapes, high-entropy-line, whitespace-hidden-code,
 *   shebang-mismatch.
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
  let exports: ModuleExports | undefined;
  try {
    scanText(file, text, out);
    const parsed = parseSource(text, file, {
      comments: false,
      ...(options.maxParseLength === undefined ? {} : { maxLength: options.maxParseLength }),
    });
    let names: { identifiers: number; hexIdentifiers: number };
    if (parsed.ok) {
      stats.parsed = true;
      if (parsed.code === text) positionAt = parsed.positionAt;
      else {
        // TypeScript: the walk sees the stripped code; facts point into the original file.
        const at = out.at;
        out.at = (offset) => at(parsed.originalOffset(offset));
      }
      const walk = walkAst(parsed.program, parsed.code, out, {
        maxNodes: options.maxNodes ?? 4_000_000,
        deadline: Date.now() + (options.timeBudgetMs ?? 5000),
        ...(options.imports ? { imports: options.imports } : {}),
      });
      walkTruncated = walk.truncated;
      exports = walk.exports;
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
  return exports ? { stats, facts, exports } : { stats, facts };
};
