import { persistenceTarget, STRONG_PERSISTENCE } from '../report/classify-path.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { commandLine, displayPath, outcome, who, writesOf } from './queries.js';

/** Targets this rule owns; CI workflows, editor/agent configs and other packages are outside-write's. */
export const PERSISTENCE_TARGETS: ReadonlySet<string> = new Set([
  'systemd-user',
  'systemd',
  'crontab',
  'shell-rc',
  'autostart',
  'launch-agent',
  'git-hooks',
]);

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** `crontab <file>` / `crontab -` installs a table (`-l` only lists); `systemctl --user enable|start`, `launchctl load`. */
const persistenceCommand = (argv: readonly string[]): string | undefined => {
  const name = base(argv[0] ?? '');
  const args = argv.slice(1);
  if (name === 'crontab' && !args.includes('-l') && !args.includes('-r')) return 'crontab';
  if (name === 'systemctl' && args.some((arg) => /^(?:enable|start|link|daemon-reload|restart)$/.test(arg)))
    return 'systemd';
  if (name === 'launchctl' && args.some((arg) => /^(?:load|bootstrap|submit)$/.test(arg)))
    return 'launch-agent';
  const line = argv.join(' ');
  if (/(?:^|[\s;&|(])crontab\s+(?!-l\b)/.test(line) && name !== 'crontab') return 'crontab';
  if (/(?:^|[\s;&|(])systemctl\s+(?:--user\s+)?(?:enable|start)\b/.test(line) && name !== 'systemctl')
    return 'systemd';
  return undefined;
};

export const persistence = defineSandboxRule({
  id: 'sandbox-persistence',
  kind: 'threat',
  severity: 'high',
  confidence: 'high',
  description:
    'A package process wrote a persistence target (systemd user unit, crontab, autostart, launch agent, shell rc, git hook) or ran crontab/systemctl enable',
  detect(input, found) {
    for (const view of input.runs) {
      const context = { home: view.record.identity.home, project: view.record.identity.project };
      for (const write of writesOf(view)) {
        if (write.event.kind === 'unlink') continue;
        const target = persistenceTarget(write.path, context, write.info.packageRoot);
        if (!target || !PERSISTENCE_TARGETS.has(target)) continue;
        // Directories on the way (mkdir ~/.config/systemd/user) are part of the same attempt; report the file.
        if (write.event.kind === 'mkdir') continue;
        found({
          message: `${who(write.actor)} wrote a ${target} persistence target: ${displayPath(write.path, view)}${outcome(write.event.result)}`,
          evidence: [
            `${displayPath(write.path, view)}${outcome(write.event.result)}`,
            commandLine(write.actor.command),
          ],
          actor: write.actor,
          ...(STRONG_PERSISTENCE.has(target) ? {} : { confidence: 'medium' as const }),
        });
      }
      for (const { exec, actor } of view.execs) {
        const target = persistenceCommand(exec.argv);
        if (!target) continue;
        found({
          message: `${who(actor)} ran ${commandLine(exec.argv, 120)}${outcome(exec.result)}`,
          evidence: [commandLine(exec.argv)],
          actor,
        });
      }
    }
  },
});
