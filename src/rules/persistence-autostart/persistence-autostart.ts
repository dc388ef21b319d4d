import type { Confidence } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, filesRunByInstallScripts, isCallIn, textsOf } from '../fact-queries.js';

type Place = { name: string; pattern: RegExp; confidence: Confidence };

/** Files the OS or a login shell runs by itself. Shell rc files also get legitimate completion installers. */
export const AUTOSTART_PATHS: readonly Place[] = [
  {
    name: 'systemd unit',
    pattern: /\.config[\\/]systemd[\\/]user\b|\/etc\/systemd\/system\b|\/lib\/systemd\/system\b/,
    confidence: 'high',
  },
  { name: 'XDG autostart entry', pattern: /\.config[\\/]autostart\b/, confidence: 'high' },
  { name: 'init script', pattern: /\/etc\/(?:init\.d|rc\.local)\b/, confidence: 'high' },
  { name: 'cron table', pattern: /\/var\/spool\/cron\b|\/etc\/cron(?:tab|\.d)\b/, confidence: 'high' },
  { name: 'launchd agent', pattern: /Library[\\/]Launch(?:Agents|Daemons)\b/, confidence: 'high' },
  { name: 'Windows Run key', pattern: /CurrentVersion\\+Run(?:Once)?\b/i, confidence: 'high' },
  { name: 'Windows Startup folder', pattern: /Start Menu[\\/]+Programs[\\/]+Startup/i, confidence: 'high' },
  {
    name: 'shell startup file',
    pattern: /(?:^|[\\/~])\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin)$/,
    confidence: 'medium',
  },
];

/** Commands that register something to run later. */
export const AUTOSTART_COMMANDS: readonly Place[] = [
  {
    name: 'systemctl enable',
    pattern: /\bsystemctl\s+(?:--user\s+)?(?:enable|daemon-reload)\b/,
    confidence: 'high',
  },
  {
    name: 'crontab',
    pattern: /\bcrontab\s+(?:-\s|-$|-l\b|-r\b|\S+\.txt\b)|\|\s*crontab\b/,
    confidence: 'high',
  },
  { name: 'launchctl load', pattern: /\blaunchctl\s+(?:load|bootstrap)\b/, confidence: 'high' },
  { name: 'reg add Run', pattern: /\breg(?:\.exe)?\s+add\b[^\n]{0,300}?\\Run\b/i, confidence: 'high' },
  { name: 'schtasks /create', pattern: /\bschtasks(?:\.exe)?\s+\/create\b/i, confidence: 'high' },
];

/**
 * Process managers and CLIs set up services when their user asks (`pm2 startup`); a dependency
 * doing it while being installed asked nobody. Outside install-time files, high becomes medium.
 */
const atMost = (confidence: Confidence, installTime: boolean): Confidence =>
  installTime || confidence !== 'high' ? confidence : 'medium';

export const persistenceAutostart = defineRule({
  id: 'persistence-autostart',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'high',
    description:
      'Code writes to an autostart location or registers a service, cron job, launch agent or Run key',
    references: [
      'https://attack.mitre.org/techniques/T1543/002/',
      'https://attack.mitre.org/techniques/T1546/004/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    const installRun = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    for (const [file, fileFacts] of factsByFile(facts)) {
      const writes = fileFacts.some((fact) => isCallIn(fact, ['filesystem-write']));
      for (const fact of fileFacts) {
        if (isCallIn(fact, ['process'])) {
          const command = fact.args.join(' ');
          const match = AUTOSTART_COMMANDS.find(({ pattern }) => pattern.test(command));
          if (match)
            report({
              message: `${file} runs ${match.name}: ${command.slice(0, 80)}`,
              at: fact.at,
              confidence: atMost(match.confidence, installRun.has(file)),
            });
        }
        if (!writes) continue;
        for (const text of textsOf(fact)) {
          const place = AUTOSTART_PATHS.find(({ pattern }) => pattern.test(text));
          if (place)
            report({
              message: `${file} writes a ${place.name}: ${text.slice(0, 80)}`,
              at: fact.at,
              // CLIs install shell completion into rc files when asked; at install time nobody asked.
              confidence:
                place.name === 'shell startup file' && !installRun.has(file)
                  ? 'low'
                  : atMost(place.confidence, installRun.has(file)),
            });
        }
      }
      // A command kept as a string and run later through a variable.
      if (!fileFacts.some((fact) => isCallIn(fact, ['process']))) continue;
      for (const fact of fileFacts) {
        if (fact.kind !== 'string') continue;
        const match = AUTOSTART_COMMANDS.find(({ pattern }) => pattern.test(fact.value));
        if (match)
          report({
            message: `${file} prepares ${match.name}: ${fact.value.slice(0, 80)}`,
            at: fact.at,
            confidence: 'medium',
          });
      }
    }
  },
});
