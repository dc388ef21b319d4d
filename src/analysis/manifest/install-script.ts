/** What an install-time command does, as structured facts a rule can test without re-parsing shell. */
export type InstallScriptSignal =
  | 'inline-code' // node -e / -p, python -c, perl -e, bash -c, sh -c, powershell -c
  | 'download' // curl, wget, Invoke-WebRequest, certutil -urlcache, bitsadmin
  | 'pipe-to-shell' // … | sh, | bash, | node, | iex
  | 'shell-pipe' // any other pipe
  | 'missing-file' // runs a file the tarball does not contain
  | 'background' // start /B, nohup, a trailing &, setsid
  | 'network-tool' // nc, ncat, nslookup, dig, ssh
  | 'env-expansion'; // $(…), `…`, ${VAR} or %VAR% inside the command

export type BenignPattern =
  | 'node-gyp'
  | 'prebuild'
  | 'husky'
  | 'patch-package'
  | 'node-install-file'
  | 'echo'
  | 'exit'
  | 'build-tool'
  | 'opencollective';

export type InstallScriptFact = {
  /** The lifecycle hook: preinstall, install, postinstall, prepare, preprepare, postprepare. */
  script: string;
  command: string;
  signals: InstallScriptSignal[];
  /** Files of the package the command runs (`node setup.js` → `setup.js`), normalised. */
  runsFiles: string[];
  /** Files the command runs that the tarball does not hold. */
  missingFiles: string[];
  urls: string[];
  /** Set when every part of the command is a known-benign pattern. */
  benign?: BenignPattern;
};

const INTERPRETERS = new Set([
  'node',
  'nodejs',
  'bun',
  'deno',
  'sh',
  'bash',
  'zsh',
  'python',
  'python3',
  'perl',
  'ruby',
]);
const INLINE_FLAGS = /^(?:-e|-p|-c|--eval|--print|-Command|-EncodedCommand|-enc)$/i;
const DOWNLOADERS =
  /(?:^|[\s;&|("'])(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|bitsadmin|Start-BitsTransfer)(?:\.exe)?\b|certutil(?:\.exe)?\s+[^|&;]{0,500}-urlcache/i;
const NETWORK_TOOLS = /(?:^|[\s;&|(])(?:nc|ncat|netcat|nslookup|dig|ssh|scp|telnet)\s/i;
const SHELLS_AFTER_PIPE =
  /(?<!\|)\|(?!\|)\s*(?:sudo\s+)?(?:sh|bash|zsh|node|python3?|perl|iex|Invoke-Expression|powershell|pwsh)(?![\w.-])/i;
const BACKGROUND = /(?:^|\s)(?:start\s+\/b|nohup|setsid|disown)\b|[^&]&\s*$|[^&]&\s+[^&]/i;
const EXPANSION = /\$\([^)]{0,500}\)|`[^`]{0,500}`|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%/;
const URL = /\bhttps?:\/\/[^\s'"`|;&)]+/gi;

const BENIGN: readonly [BenignPattern, RegExp][] = [
  [
    'node-gyp',
    /^(?:node-gyp\s+rebuild|node-gyp-build(?:-optional-packages)?|node-pre-gyp\s+install(?:\s+--fallback-to-build)?)\b[^|;&]*$/,
  ],
  ['prebuild', /^prebuild-install(?:\s+[-\w=.]+)*$/],
  ['husky', /^(?:husky(?:\s+install)?|is-ci|pinst\s+--disable)$/],
  ['patch-package', /^patch-package(?:\s+[-\w=.]+)*$/],
  ['echo', /^echo(?:\s+[^|;&<>`$]*)?$/],
  ['exit', /^(?:exit\s+0|true)$/],
  [
    'build-tool',
    /^(?:tsc|prisma\s+generate|ngcc|npm\s+run\s+[\w:-]+|node-gyp\s+configure)(?:\s+[-\w=./]+)*$/,
  ],
  [
    'opencollective',
    /^(?:opencollective-postinstall|opencollective\s+postinstall)(?:\s*\|\|\s*(?:true|exit\s+0))?$/,
  ],
];

/** Splits a command on `&&`, `||`, `;` and `|` (not inside quotes), keeping each part's text. */
export const splitCommand = (command: string): string[] => {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ';' || ch === '|' || ch === '&') {
      if (command[i + 1] === ch) i++;
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== '');
};

const tokens = (part: string): string[] =>
  (part.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((token) => token.replace(/^["']|["']$/g, ''));

const normalisePath = (path: string): string => path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');

/** The file an interpreter or a path-like command word runs, when there is one. */
const fileRunBy = (words: string[]): string | undefined => {
  const [first, ...rest] = words;
  if (first === undefined) return undefined;
  if (/^(?:\.{1,2}\/|\/)/.test(first) || /\.(?:m?js|cjs|sh|py|exe|bat|cmd|ps1)$/i.test(first)) return first;
  if (!INTERPRETERS.has(first.toLowerCase())) return undefined;
  for (const word of rest) {
    if (INLINE_FLAGS.test(word)) return undefined;
    if (word.startsWith('-')) continue;
    return word;
  }
  return undefined;
};

const hasFile = (files: ReadonlyMap<string, unknown>, path: string): boolean =>
  files.has(path) || files.has(`${path}.js`) || files.has(`${path}/index.js`) || files.has(`${path}.cjs`);

/** Classifies one lifecycle command against the package's own files. */
export const classifyInstallScript = (
  script: string,
  command: string,
  files: ReadonlyMap<string, unknown>,
): InstallScriptFact => {
  const signals = new Set<InstallScriptSignal>();
  const runsFiles: string[] = [];
  const missingFiles: string[] = [];
  const parts = splitCommand(command);
  const benignParts: BenignPattern[] = [];

  for (const part of parts) {
    const words = tokens(part);
    const first = words[0]?.toLowerCase() ?? '';
    if (
      (INTERPRETERS.has(first) || first === 'powershell' || first === 'pwsh' || first === 'cmd') &&
      words.some((word) => INLINE_FLAGS.test(word) || word.toLowerCase() === '/c')
    ) {
      signals.add('inline-code');
    }
    const file = fileRunBy(words);
    if (file !== undefined && !/^https?:/i.test(file)) {
      const path = normalisePath(file);
      if (hasFile(files, path)) runsFiles.push(path);
      else missingFiles.push(path);
    }
    const benign = BENIGN.find(([, pattern]) => pattern.test(part))?.[0];
    if (benign) benignParts.push(benign);
    else if (
      first === 'node' &&
      words.length === 2 &&
      file !== undefined &&
      hasFile(files, normalisePath(file))
    ) {
      // esbuild, sharp, cypress: `node install.js` running the package's own installer.
      benignParts.push('node-install-file');
    }
  }

  if (DOWNLOADERS.test(command)) signals.add('download');
  if (NETWORK_TOOLS.test(command)) signals.add('network-tool');
  if (SHELLS_AFTER_PIPE.test(command)) signals.add('pipe-to-shell');
  else if (/(?<!\|)\|(?!\|)/.test(command)) signals.add('shell-pipe');
  if (BACKGROUND.test(command)) signals.add('background');
  if (EXPANSION.test(command)) signals.add('env-expansion');
  if (missingFiles.length > 0) signals.add('missing-file');

  const fact: InstallScriptFact = {
    script,
    command,
    signals: [...signals],
    runsFiles,
    missingFiles,
    urls: command.match(URL) ?? [],
  };
  if (parts.length > 0 && benignParts.length === parts.length && fact.signals.length === 0) {
    fact.benign = benignParts.find((pattern) => pattern !== 'echo' && pattern !== 'exit') ?? benignParts[0]!;
  }
  return fact;
};
