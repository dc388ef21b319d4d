import type { Confidence } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { allTexts, isCallIn, location } from '../fact-queries.js';

/** Windows binaries that download files, which no package needs: certutil and bitsadmin. */
const LOLBIN =
  /\bcertutil(?:\.exe)?\s[^|&;\n]{0,300}-urlcache\b|\bbitsadmin(?:\.exe)?\s[^|&;\n]{0,300}\/(?:transfer|addfile)\b|\bStart-BitsTransfer\b/i;
/** PowerShell download primitives. */
const POWERSHELL_DOWNLOAD =
  /\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\s+(?:-Uri\s+)?['"]?https?:|\bNet\.WebClient\b|\.Download(?:String|File|Data)(?:Async)?\s*\(/i;
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
    version: 1,
  },
  detect({ facts, report }) {
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
      // Text handed to a process call is a command; elsewhere it may be documentation.
      const spawned = isCallIn(fact, ['process']);
      report({
        message: `${spawned ? 'spawned command' : 'command text'} ${found.what}: ${text.slice(0, 120)}`,
        at,
        confidence: spawned ? found.confidence : 'medium',
        ...(spawned ? {} : { severity: 'medium' as const }),
      });
    }
  },
});
