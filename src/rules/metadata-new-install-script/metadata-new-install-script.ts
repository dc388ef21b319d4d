import { classifyInstallScript, type InstallScriptFact } from '../../analysis/manifest/install-script.js';
import type { Confidence, PackageFacts } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { isCallIn, location } from '../fact-queries.js';

/** Command shapes that fetch or hide what they run: no new benign hook has needed them. */
const DECISIVE = new Set(['download', 'pipe-to-shell', 'network-tool', 'background']);
/** Inline code that reaches out (network, processes, eval, decoding) rather than printing. */
const INLINE_REACHES =
  /https?:\/\/|\b(?:fetch|eval|atob|exec|execSync|spawn|spawnSync|Function|WebSocket)\s*\(|(?:require|import)\(\s*['"`](?:node:)?(?:https?|net|tls|dgram|dns|child_process)['"`]|base64/i;

type Grade = { severity: Severity; confidence: Confidence; why: string };

const grade = (fact: InstallScriptFact, facts: PackageFacts): Grade | undefined => {
  const decisive = fact.signals.filter((signal) => DECISIVE.has(signal));
  if (decisive.length > 0) return { severity: 'high', confidence: 'high', why: decisive.join(', ') };
  if (fact.signals.includes('inline-code') && INLINE_REACHES.test(fact.command))
    return { severity: 'high', confidence: 'high', why: 'inline code that reaches out' };
  // Build helpers (node-gyp, prebuild-install, husky, …) are how a package legitimately gains a hook.
  if (fact.benign !== undefined && fact.benign !== 'node-install-file') return undefined;
  const run = new Set(fact.runsFiles);
  const reaches = facts.code.some(
    (code) => run.has(code.at.file) && isCallIn(code, ['network', 'dns', 'process', 'eval']),
  );
  if (reaches) return { severity: 'high', confidence: 'medium', why: 'its script reaches out' };
  // `node install.js` of its own, quiet file: how esbuild-style installers start.
  if (fact.benign === 'node-install-file') return { severity: 'medium', confidence: 'low', why: '' };
  return { severity: 'high', confidence: 'medium', why: '' };
};

export const metadataNewInstallScript = defineRule({
  id: 'metadata-new-install-script',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'high',
    confidence: 'medium',
    description:
      'This version runs code at install (preinstall/install/postinstall) and the previous version did not',
    references: [
      'https://github.com/faisalman/ua-parser-js/issues/536',
      'https://github.com/veged/coa/issues/99',
      'https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const files = new Map(facts.files.map((file) => [file.file, file]));
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'install-hook-added') continue;
      for (const { hook, command } of signal.hooks) {
        const found = grade(classifyInstallScript(hook, command, files), facts);
        if (!found) continue;
        const shown = command.length > 160 ? `${command.slice(0, 160)}…` : command;
        report({
          message: `${hook} "${shown}" is new in ${signal.version}: ${signal.previous} ran nothing at install${found.why ? ` (${found.why})` : ''}`,
          at: location('package.json'),
          severity: found.severity,
          confidence: found.confidence,
        });
      }
    }
  },
});
