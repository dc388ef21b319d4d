import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/** Detaching commands: the process outlives `npm install` and hides from the install log. */
const DETACH =
  /(?:^|[\s;&|(])(?:start(?:\.exe)?\s+(?:"[^"]*"\s+)?\/(?:b|min)\b|nohup\b|setsid\b|disown\b|Start-Process\b[^|;&]{0,200}-WindowStyle\s+Hidden|-WindowStyle\s+Hidden\b|-w\s+hidden\b)/i;
/** A lone `&` (not `&&`, not a redirection like `2>&1` or `&>`) sends the command to the background. */
const AMPERSAND = /(?:^|[^&>])&(?![&>\d])(?=\s|$)/;

/** Quoted text is an argument (inline code, a message), not shell syntax. */
const unquoted = (command: string): string => command.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""');

export const installScriptBackground = defineRule({
  id: 'install-script-background',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'high',
    confidence: 'medium',
    description: 'An install hook starts a process in the background or hidden, so it outlives the install',
    references: [
      'https://www.stepsecurity.io/blog/supply-chain-security-alert-popular-nx-build-system-package-compromised-with-data-stealing-malware',
      'https://attack.mitre.org/techniques/T1564/003/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      const shell = unquoted(command);
      const detached = DETACH.exec(shell);
      if (detached) {
        report({
          message: `install hook "${hook}" detaches a process (${detached[0].trim()}): ${command.slice(0, 120)}`,
          at: location('package.json'),
        });
      } else if (AMPERSAND.test(shell)) {
        report({
          message: `install hook "${hook}" backgrounds a command with &: ${command.slice(0, 120)}`,
          at: location('package.json'),
          severity: 'medium',
        });
      }
    }
  },
});
