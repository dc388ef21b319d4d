import type { ProcessInfo } from '../report/attribute.js';
import { inToolCache, isUnder } from '../report/classify-path.js';
import { normalizeAddress } from '../report/network.js';
import type { RunView } from '../report/run-view.js';
import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { commandLine, displayPath, isPublicAddress, outcome, subjectOf, who } from './queries.js';

const INTERPRETERS = /^(?:ba|da|z|k)?sh$|^node(?:js)?$|^python[0-9.]*$|^perl$|^ruby$|^bun$|^deno$/;
const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The file an exec really runs: the binary, or the script an interpreter was handed. */
export const executedFiles = (path: string, argv: readonly string[]): string[] => {
  const files = [path];
  if (INTERPRETERS.test(base(path))) {
    // `sh -c <line>` and `node -e <code>` run text, not a file.
    if (
      argv.some(
        (arg) => arg === '-c' || arg === '-e' || arg === '-p' || arg === '--eval' || arg === '--print',
      )
    )
      return files;
    const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
    if (script?.startsWith('/')) files.push(script);
  }
  return files;
};

/** `curl … | sh`, `wget -O- … | bash`, `bash <(curl …)`. */
const PIPE_TO_SHELL =
  /\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba|da|z)?sh\b|(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b|\b(?:curl|wget)\b[^|;&]*\|\s*(?:node|python[0-9.]*|perl)\b/;
const LITERAL_URL = /\b(?:https?|ftp):\/\/\d{1,3}(?:\.\d{1,3}){3}\b/;

type Written = { at: number; info: ProcessInfo; actor: Actor };

/** Files package processes wrote, first write each. */
export const writtenFiles = (view: RunView, byPackageManager = false): Map<string, Written> => {
  const written = new Map<string, Written>();
  for (const { event, info, actor } of view.events) {
    if (!event.result.ok || info.packageManagerCli !== byPackageManager) continue;
    const path =
      event.kind === 'open' && event.access !== 'read'
        ? event.path
        : event.kind === 'rename' || event.kind === 'link'
          ? event.to
          : undefined;
    if (path !== undefined && !written.has(path)) written.set(path, { at: event.at, info, actor });
  }
  return written;
};

/** Per package subject, when it first connected to a literal public IP. */
const literalConnects = (view: RunView): Map<string, { at: number; address: string }> => {
  const answers = new Set<string>();
  for (const event of view.record.sinkhole)
    if (event.type === 'dns' && event.answer) answers.add(normalizeAddress(event.answer));
  const first = new Map<string, { at: number; address: string }>();
  for (const { event, actor } of view.events) {
    if (event.kind !== 'connect' || (event.family !== 'inet' && event.family !== 'inet6')) continue;
    const address = normalizeAddress(event.address);
    if (answers.has(address) || !isPublicAddress(address) || event.port === 53) continue;
    const subject = subjectOf(actor);
    if (!first.has(subject)) first.set(subject, { at: event.at, address });
  }
  return first;
};

export const downloadExecute = defineSandboxRule({
  id: 'sandbox-download-execute',
  kind: 'threat',
  severity: 'high',
  confidence: 'high',
  description:
    'A package process ran (or made executable) a file package processes wrote outside their own directory, or one written after contacting a literal IP; or piped a download into a shell',
  detect({ runs }, found) {
    for (const view of runs) {
      const context = { home: view.record.identity.home, project: view.record.identity.project };
      // What an npm/yarn CLI a script ran wrote (npx's ~/.npm/_npx, yarn 1's /tmp/yarn--*/node
      // shims) is the package manager's doing; the packages it fetched are traced on their own.
      const written = writtenFiles(view);
      const literal = literalConnects(view);
      const why = (path: string, at: number, chmod: boolean): string | undefined => {
        const write = written.get(path);
        if (!write || write.at > at) return undefined;
        const root = write.info.packageRoot;
        if (!(root && isUnder(path, root)) && !(chmod && inToolCache(path, context)))
          return `written by ${who(write.actor)} outside its package`;
        const contact = literal.get(subjectOf(write.actor));
        if (contact && contact.at <= write.at) return `written after contacting ${contact.address}`;
        return undefined;
      };

      for (const { exec, actor } of view.execs) {
        if (!exec.result.ok && exec.result.errno === 'ENOENT') continue;
        for (const file of executedFiles(exec.path, exec.argv)) {
          const reason = why(file, exec.at, false);
          if (!reason) continue;
          // Browser and tool downloads (puppeteer, playwright, Cypress) live in ~/.cache and may be
          // smoke-tested at install: not decisive there.
          const cached = inToolCache(file, context);
          found({
            message: `${who(actor)} ran ${displayPath(file, view)}, ${reason}${outcome(exec.result)}`,
            evidence: [displayPath(file, view), reason, commandLine(exec.argv)],
            actor,
            ...(cached ? { confidence: 'medium' as const } : {}),
          });
        }
        const line = exec.argv.join(' ');
        if (PIPE_TO_SHELL.test(line)) {
          found({
            message: `${who(actor)} piped a download into an interpreter: ${commandLine(exec.argv, 120)}`,
            evidence: [commandLine(exec.argv)],
            actor,
            ...(LITERAL_URL.test(line) ? {} : { confidence: 'medium' as const }),
          });
        }
      }
      for (const { event, actor } of view.events) {
        if (event.kind !== 'chmod' || (event.mode & 0o111) === 0) continue;
        const reason = why(event.path, event.at, true);
        if (!reason) continue;
        found({
          message: `${who(actor)} made ${displayPath(event.path, view)} executable, ${reason}${outcome(event.result)}`,
          evidence: [`chmod ${event.mode.toString(8)} ${displayPath(event.path, view)}`, reason],
          actor,
        });
      }
    }
  },
});
