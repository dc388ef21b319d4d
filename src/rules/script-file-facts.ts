import type { CodeFact } from '../analysis/types.js';

/** Shell, batch and PowerShell scripts a package ships: their lines are commands. */
export const SCRIPT_FILE = /\.(?:sh|bash|zsh|command|bat|cmd|ps1|psm1)$/i;
const SHEBANG = /^#!\s*\S*\/(?:env\s+)?(?:ba|z|da)?sh\b/;

const MAX_LINES = 2000;
const MAX_LINE = 2000;

const shellOf = (file: string): 'sh' | 'cmd' | 'powershell' =>
  /\.(?:bat|cmd)$/i.test(file) ? 'cmd' : /\.psm?1$/i.test(file) ? 'powershell' : 'sh';

/** A file that is a script: by extension, or a shell shebang on a file without one we parse. */
export const isScriptFile = (file: string, head: string): boolean =>
  SCRIPT_FILE.test(file) || SHEBANG.test(head);

const COMMENT = /^(?:#|rem\b|::|@?echo\s+off\b)/i;

/**
 * One `call` fact per command line of a script (`api` names the shell, `category` is `process`):
 * a script line is a command the script runs, as `exec(line)` would be. Comments, blank lines and
 * `@echo off` are skipped; lines are clipped.
 */
export const scriptFileFacts = (file: string, text: string): CodeFact[] => {
  const api = shellOf(file);
  const facts: CodeFact[] = [];
  const lines = text.split(/\r?\n/, MAX_LINES);
  lines.forEach((raw, index) => {
    const line = (raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw).trim();
    if (line === '' || COMMENT.test(line)) return;
    facts.push({
      kind: 'call',
      api,
      category: 'process',
      args: [line],
      at: { file, line: index + 1, column: raw.indexOf(line) + 1, excerpt: line.slice(0, 200) },
    });
  });
  return facts;
};
