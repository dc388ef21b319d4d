import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, filesRunByInstallScripts, isCallIn } from '../fact-queries.js';

/** AI coding CLIs that can read and send the whole disk once told not to ask. */
const AI_CLI =
  /(?:^|[\s;&|(`'"\\/])(?:claude|gemini|q|codex|cursor-agent|copilot|aider|opencode)(?:\.exe|\.cmd)?(?=$|[\s;&|)'"])/;
const BYPASS_FLAG =
  /--(?:dangerously-skip-permissions|dangerously-bypass-approvals-and-sandbox|yolo|trust-all-tools|allow-all-tools)\b/;
/** Secret scanners: a dependency running one is harvesting, not auditing (Shai-Hulud's TruffleHog). */
const SECRET_SCANNER =
  /(?:^|[\s;&|(`'"\\/])(?:trufflehog|gitleaks|noseyparker|detect-secrets)(?:\.exe)?(?=$|[\s;&|)'"])/i;
/** The Bun installer or release download (Shai-Hulud 2.0 ran its payload under Bun). */
const BUN_DOWNLOAD = /\bbun\.sh\/install\b|github\.com\/oven-sh\/bun\/releases\b/;

const commandOf = (fact: CodeFact): string | undefined =>
  isCallIn(fact, ['process']) ? fact.args.join(' ') : fact.kind === 'string' ? fact.value : undefined;

export const processLocalToolAbuse = defineRule({
  id: 'process-local-tool-abuse',
  meta: {
    kind: 'threat',
    category: 'process',
    severity: 'high',
    confidence: 'medium',
    description:
      'Runs AI coding CLIs with permission checks off, secret scanners, or fetches an alternative runtime at install',
    references: [
      'https://www.stepsecurity.io/blog/supply-chain-security-alert-popular-nx-build-system-package-compromised-with-data-stealing-malware',
      'https://www.wiz.io/blog/shai-hulud-2-0-ongoing-supply-chain-attack',
      'https://attack.mitre.org/techniques/T1059/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    for (const [file, fileFacts] of factsByFile(facts)) {
      const calls = fileFacts.filter((fact) => isCallIn(fact, ['process']));
      const aiSpawn = calls.find((fact) => AI_CLI.test(commandOf(fact) ?? ''));
      for (const fact of fileFacts) {
        const command = commandOf(fact);
        if (command !== undefined && AI_CLI.test(command) && BYPASS_FLAG.test(command)) {
          // The command line itself: agent + flag in one string.
          report({
            message: `${file} runs an AI agent without permission checks: ${command.slice(0, 100)}`,
            at: fact.at,
            confidence: fact.kind === 'call' || calls.length > 0 ? 'high' : 'medium',
          });
          continue;
        }
        if (fact.kind === 'shape' && fact.shape === 'agent-bypass-flag' && aiSpawn)
          report({
            message: `${file} spawns an AI CLI and passes ${fact.detail}`,
            source: aiSpawn.at,
            sink: fact.at,
          });
        if (command !== undefined && SECRET_SCANNER.test(command) && calls.length > 0)
          report({ message: `${file} runs a secret scanner: ${command.slice(0, 100)}`, at: fact.at });
      }
      // Flags of several agents beside a spawn, the CLI names kept in a table (Nx: one loop runs
      // claude, gemini and q): an agent's own bundle carries only its own flag.
      const flags = fileFacts.filter((fact) => fact.kind === 'shape' && fact.shape === 'agent-bypass-flag');
      const distinct = new Set(flags.map((fact) => (fact.kind === 'shape' ? fact.detail : '')));
      const first = flags[0];
      if (!aiSpawn && first && calls.length > 0 && distinct.size >= 2)
        report({
          message: `${file} spawns processes and holds permission-bypass flags of several AI CLIs: ${[...distinct].join(' ')}`,
          at: first.at,
        });
      if (!installFiles.has(file)) continue;
      for (const fact of fileFacts) {
        const raw = fact.kind === 'url' ? fact.value : commandOf(fact);
        // Samples use reserved names (bun.sh.invalid); match them like the real host.
        const text = raw?.replace(/\.(?:invalid|test|example)(?=[/:]|$)/g, '');
        if (text !== undefined && BUN_DOWNLOAD.test(text))
          report({
            message: `${file} runs at install and downloads Bun: ${text.slice(0, 100)}`,
            at: fact.at,
            confidence: 'low',
          });
      }
    }
  },
});
