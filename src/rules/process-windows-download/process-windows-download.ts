import type { Confidence } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { allTexts, factsByFile, isCallIn, location, textsOf } from '../fact-queries.js';

/** Windows binaries that download files, which no package needs: certutil and bitsadmin. */
const LOLBIN =
  /\bcertutil(?:\.exe)?\s[^|&;\n]{0,300}-urlcache\b|\bbitsadmin(?:\.exe)?\s[^|&;\n]{0,300}\/(?:transfer|addfile)\b|\bStart-BitsTransfer\b/i;
/** PowerShell download primitives. */
const POWERSHELL_DOWNLOAD =
  /\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\s+(?:-Uri\s+)?['"]?https?:|\bNet\.WebClient\b|\.Download(?:String|File|Data)(?:Async)?\s*\(/i;
/** `api` of the facts a shipped script's lines become (src/rules/script-file-facts.ts). */
const SCRIPT_SHELLS = new Set(['sh', 'cmd', 'powershell']);
const RUNS_IT = /\|\s*(?:iex|Invoke-Expression)\b|\biex\s*\(|Start-Process\b/i;

const grade = (text: string): { confidence: Confidence; what: string } | undefined => {
  if (LOLBIN.test(text)) return { confidence: 'high', what: 'downloads with a Windows system binary' };
  if (POWERSHELL_DOWNLOAD.test(text))
    return RUNS_IT.test(text)
      ? { confidence: 'high', what: 'downloads with PowerShell and runs the result' }
      : { confidence: 'medium', what: 'downloads with PowerShell' };
  return undefined;
};

export const processWindowsDownload = defineRule({
  id: 'process-windows-download',
  meta: {
    kind: 'threat',
    category: 'process',
    severity: 'high',
    confidence: 'high',
    description:
      'Downloads through certutil -urlcache, bitsadmin or PowerShell (Invoke-WebRequest, WebClient)',
    references: [
      'https://lolbas-project.github.io/lolbas/Binaries/Certutil/',
      'https://lolbas-project.github.io/lolbas/Binaries/Bitsadmin/',
      'https://attack.mitre.org/techniques/T1105/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    const byFile = factsByFile(facts);
    // Obfuscated code hides the call, but not a `{ detached: true }` option or a computed require.
    const runsProcesses = (file: string): boolean =>
      (byFile.get(file) ?? []).some(
        (fact) =>
          (isCallIn(fact, ['process']) && !SCRIPT_SHELLS.has(fact.api)) ||
          (fact.kind === 'import' && (fact.computed || /^(?:node:)?child_process$/.test(fact.module))) ||
          (fact.kind === 'shape' && fact.shape === 'detached-process'),
      );
    // A PowerShell download in one string and Start-Process/iex in another, in one file: the
    // pieces of a command (a help text holding both in one sentence does not count).
    const runsDownloadIn = (file: string, except: unknown): boolean =>
      (byFile.get(file) ?? []).some(
        (fact) => fact !== except && textsOf(fact).some((text) => text.length <= 4000 && RUNS_IT.test(text)),
      );
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      const found = grade(command);
      if (found)
        report({
          message: `install hook "${hook}" ${found.what}: ${command.slice(0, 120)}`,
          at: location('package.json'),
          confidence: found.confidence,
        });
    }
    for (const command of facts.manifest.bindingGyp?.commands ?? []) {
      const found = grade(command);
      if (found)
        report({
          message: `binding.gyp command ${found.what}: ${command.slice(0, 120)}`,
          at: location('binding.gyp'),
          confidence: found.confidence,
        });
    }
    for (const { text, at, fact } of allTexts(facts)) {
      if (text.length > 4000) continue;
      const found = grade(text);
      if (!found) continue;
      if (isCallIn(fact, ['process']) && SCRIPT_SHELLS.has(fact.api)) {
        // A line of a shipped script: certutil there is a dropper; a PowerShell download alone may
        // be a browser or SDK installer script (playwright ships several), one that runs it is not.
        const lolbin = LOLBIN.test(text);
        if (lolbin || found.confidence === 'high')
          report({
            message: `script command ${found.what}: ${text.slice(0, 120)}`,
            at,
            confidence: lolbin ? 'high' : 'medium',
          });
        continue;
      }
      // Text handed to a process call is a command. Elsewhere it may be documentation, unless the
      // same file starts processes: then it is a command assembled from parts (coa's compile.bat).
      const spawned = isCallIn(fact, ['process']);
      const fileRuns = !spawned && runsProcesses(fact.at.file);
      const assembled =
        fileRuns && (LOLBIN.test(text) || (!RUNS_IT.test(text) && runsDownloadIn(fact.at.file, fact)));
      report({
        message: `${spawned ? 'spawned command' : assembled ? 'command text in a file that starts processes' : 'command text'} ${found.what}: ${text.slice(0, 120)}`,
        at,
        confidence: spawned ? found.confidence : assembled ? 'high' : 'medium',
        ...(spawned || assembled ? {} : { severity: 'medium' as const }),
      });
    }
  },
});
