import { splitCommand } from '../../analysis/manifest/install-script.js';
import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

const INTERPRETERS =
  /^(?:node|nodejs|bun|deno|python3?|perl|ruby|sh|bash|zsh|powershell|pwsh|cmd)(?:\.exe)?$/i;
const INLINE_FLAG = /^(?:-e|-p|-c|--eval|--print|-Command|\/c)$/i;
const ENCODED_FLAG = /^-(?:e|ec|enc|encodedcommand)$/i;

/**
 * Inline code that reaches the network, spawns, evaluates or decodes is the payload itself.
 * Reading the environment alone is not (`if (process.env.CI) process.exit(0)`).
 */
const REACHES =
  /(?:require|import)\(\s*['"`](?:node:)?(?:https?|net|tls|dgram|dns|child_process)['"`]|\b(?:fetch|eval|atob|execSync|spawnSync|exec|spawn|Function|WebSocket)\s*\(|https?:\/\/|Buffer\.from\([^)]{0,200}base64|\/dev\/(?:tcp|udp)\/|\b(?:curl|wget|nc|ncat|Invoke-WebRequest|iwr|Invoke-Expression|iex|DownloadString|DownloadFile)\b|\bsocket\b/i;

/** `bash -i >& /dev/tcp/host/port 0>&1`: an interactive shell wired to a socket. */
const REVERSE_SHELL = /\/dev\/(?:tcp|udp)\/[^\s/]+\/\d+|\b(?:nc|ncat)\b[^|;&]{0,80}\s-e\s/i;

/**
 * Identifiers a harmless one-liner uses: `node -e "try{require('./postinstall')}catch(e){}"`
 * (core-js), a version check, a message. Anything else makes the code worth a look.
 */
const HARMLESS_WORDS = new Set(
  (
    'try catch finally e err error require console log warn info process exit exitCode if else ' +
    'typeof undefined null true false var let const version versions node platform arch ' +
    'stdout stderr write JSON stringify parseInt Number String split major import then void'
  ).split(' '),
);

const tokens = (part: string): string[] =>
  (part.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+/g) ?? []).map((token) =>
    token.replace(/^["']|["']$/g, ''),
  );

/** The code an interpreter is handed inline, with its interpreter, when the part is such a call. */
const inlineCode = (part: string): { interpreter: string; code: string; encoded: boolean } | undefined => {
  const words = tokens(part);
  const first = words[0] ?? '';
  if (!INTERPRETERS.test(first)) return undefined;
  const interpreter = first.toLowerCase().replace(/\.exe$/, '');
  const rest = (i: number) =>
    words
      .slice(i + 1)
      .join(' ')
      .replace(/\\(["'])/g, '$1');
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (/^(?:powershell|pwsh)$/.test(interpreter) && ENCODED_FLAG.test(word))
      return { interpreter, code: rest(i), encoded: true };
    // `node -c` checks a file's syntax; only shells, Python and PowerShell take code after -c.
    if (INLINE_FLAG.test(word) && !(/^(?:node|nodejs|bun|deno)$/.test(interpreter) && /^-c$/i.test(word)))
      return { interpreter, code: rest(i), encoded: false };
  }
  return undefined;
};

const isHarmless = (code: string): boolean => {
  const requires = [...code.matchAll(/(?:require|import)\(\s*['"`]([^'"`]*)['"`]\s*\)/g)].map(
    (m) => m[1] ?? '',
  );
  if (requires.some((module) => !module.startsWith('.') && !module.startsWith('/'))) return false;
  const bare = code.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '""');
  const words = bare.match(/[A-Za-z_$][\w$]*/g) ?? [];
  return words.every((word) => HARMLESS_WORDS.has(word));
};

type Grade = { severity: Severity; confidence: Confidence; what: string };

const grade = (interpreter: string, code: string, encoded: boolean): Grade | undefined => {
  if (encoded) return { severity: 'high', confidence: 'high', what: 'runs base64-encoded PowerShell' };
  if (REVERSE_SHELL.test(code))
    return { severity: 'critical', confidence: 'high', what: 'opens a reverse shell' };
  if (REACHES.test(code))
    return {
      severity: 'high',
      confidence: 'medium',
      what: 'runs inline code that reaches the network, processes or secrets',
    };
  if (/^(?:node|nodejs|bun|deno)$/.test(interpreter) && isHarmless(code)) return undefined;
  if (/^(?:sh|bash|zsh|cmd)$/.test(interpreter) && /^[\w\s./=:-]*$/.test(code)) return undefined;
  return { severity: 'medium', confidence: 'low', what: 'runs inline code' };
};

export const installScriptInlineCode = defineRule({
  id: 'install-script-inline-code',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'high',
    confidence: 'medium',
    description: 'An install hook runs code written inline (node -e, python -c, powershell -enc, bash -c)',
    references: [
      'https://github.com/DataDog/guarddog/blob/main/RULES.md',
      'https://socket.dev/blog/nx-packages-compromised',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      for (const part of splitCommand(command)) {
        const inline = inlineCode(part);
        if (!inline) continue;
        const found = grade(inline.interpreter, inline.code, inline.encoded);
        if (!found) continue;
        report({
          message: `install hook "${hook}" ${found.what}: ${part.slice(0, 120)}`,
          at: location('package.json'),
          severity: found.severity,
          confidence: found.confidence,
        });
      }
    }
  },
});
