import { inTempDir, isUnder } from '../report/classify-path.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { executedFiles, writtenFiles } from './download-execute.js';
import { commandLine, displayPath, outcome, who } from './queries.js';

/** Hidden directories that are tool homes, not hiding places. */
const TOOL_DIRS = [
  'node_modules/.bin',
  'node_modules/.pnpm',
  '.npm',
  '.nvm',
  '.volta',
  '.asdf',
  '.pyenv',
  '.rbenv',
  '.bun/bin',
  '.deno/bin',
  '.cargo/bin',
  '.local/bin',
  '.node-gyp',
  '.cache/node-gyp',
  '.cache/puppeteer',
  '.cache/ms-playwright',
  '.cache/electron',
  '.cache/Cypress',
  '.cache/prisma',
  '.git/hooks',
  '.husky',
];

/** Standard per-user dirs that are hidden by name only: look deeper before calling them a hiding place. */
const XDG_DIRS = new Set(['.config', '.local', '.cache']);

/** Where a hidden or throwaway location starts, and whether it is a hiding place rather than a standard dir. */
export const hiddenPlace = (path: string, home: string): { place: string; strong: boolean } | undefined => {
  if (inTempDir(path))
    return path.startsWith('/dev/shm')
      ? { place: '/dev/shm', strong: true }
      : { place: 'a temp dir', strong: false };
  const parts = path.split('/');
  let xdg: string | undefined;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (!part.startsWith('.') || part === '.' || part === '..') continue;
    const from = [parts.slice(i).join('/'), parts.slice(i - 1).join('/')];
    if (TOOL_DIRS.some((dir) => from.some((rest) => rest === dir || rest.startsWith(`${dir}/`))))
      return undefined;
    if (XDG_DIRS.has(part) && i < parts.length - 1 && parts.slice(0, i).join('/') === home) {
      xdg ??= parts.slice(0, i + 1).join('/');
      continue;
    }
    return {
      place:
        i === parts.length - 1 ? 'a hidden file' : `the hidden directory ${parts.slice(0, i + 1).join('/')}`,
      strong: true,
    };
  }
  return xdg ? { place: `the hidden directory ${xdg}`, strong: false } : undefined;
};

export const execHiddenBinary = defineSandboxRule({
  id: 'sandbox-exec-hidden-binary',
  kind: 'threat',
  severity: 'high',
  confidence: 'high',
  description:
    'A package process ran a program from a hidden directory, /tmp or /dev/shm (the renamed-miner pattern)',
  detect({ runs }, found) {
    for (const view of runs) {
      const home = view.record.identity.home;
      // yarn 1 puts `node`/`yarn` shims in /tmp/yarn--*/ for the scripts it runs: the package manager's.
      const shims = writtenFiles(view, true);
      for (const { exec, actor, info } of view.execs) {
        if (!exec.result.ok && exec.result.errno === 'ENOENT') continue;
        for (const file of executedFiles(exec.path, exec.argv)) {
          const hidden = hiddenPlace(file, home);
          if (!hidden || shims.has(file)) continue;
          // Hidden under the home (~/.local/share/.x/kworker) is a hiding place; /tmp is also where builds put throwaway tools.
          // A dot-dir inside the package's own directory is more likely tooling than hiding.
          const own = info.packageRoot !== undefined && isUnder(file, info.packageRoot);
          const strong = hidden.strong && !own && (isUnder(file, home) || hidden.place === '/dev/shm');
          found({
            message: `${who(actor)} ran ${displayPath(file, view)} from ${hidden.place.replace(home, '~')}${outcome(exec.result)}`,
            evidence: [displayPath(file, view), commandLine(exec.argv)],
            actor,
            ...(strong ? {} : { confidence: 'medium' as const }),
          });
        }
      }
    }
  },
});
