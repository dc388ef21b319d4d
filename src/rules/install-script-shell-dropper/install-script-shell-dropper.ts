import { classifyInstallScript } from '../../analysis/manifest/install-script.js';
import { defineRule } from '../define-rule.js';
import { type CallFact, filesRunByInstallScripts, isCallIn, textsOf } from '../fact-queries.js';
import { SCRIPT_FILE } from '../script-file-facts.js';

/** The shells whose lines `script-file-facts` turns into calls. */
const SCRIPT_SHELLS = new Set(['sh', 'cmd', 'powershell']);
const DOWNLOADS =
  /\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer)\b|\bcertutil(?:\.exe)?\s[^|&;]{0,300}-urlcache|\bbitsadmin\b[^|&;]{0,300}\/transfer|\.Download(?:File|String|Data)\b/i;
/** What turns a fetched file into a running one, the dropper's way. */
const EXECUTES =
  /\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\|\s*(?:node|python3?|perl|iex)\b|\bchmod\s+(?:[ugoa]*\+x|[0-7]*[1357][0-7]{0,2})\b|\bnohup\b|\bsetsid\b|\bstart\s+(?:"[^"]*"\s+)?(?:\/b\s+)?[\w.-]+\.exe\b|\b(?:regsvr32|rundll32)\b|\bStart-Process\b|\bInvoke-Expression\b/i;
/** Running a relative path: a build (`./configure`) as often as a payload. */
const RUNS_RELATIVE = /(?:^|[\s;&|(])\.{1,2}\/[\w.-]+/;
/** A checksum check between download and run is how honest installers fetch. */
const VERIFIES =
  /\b(?:sha(?:1|256|512)sum|shasum|md5sum|Get-FileHash|gpg\s+--verify)\b|\bcertutil(?:\.exe)?\s+-hashfile\b/i;

const baseName = (path: string): string => path.replace(/^.*[\\/]/, '');

export const installScriptShellDropper = defineRule({
  id: 'install-script-shell-dropper',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'critical',
    confidence: 'high',
    description: 'A shell, batch or PowerShell script run at install downloads a file and runs it',
    references: [
      'https://github.com/faisalman/ua-parser-js/issues/536',
      'https://github.com/veged/coa/issues/99',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const files = new Map(facts.files.map((file) => [file.file, file]));
    const scripts = new Set(facts.files.map((f) => f.file).filter((file) => SCRIPT_FILE.test(file)));
    if (scripts.size === 0) return;
    // Scripts an install hook runs or names, and scripts an install-time JS file names.
    const atInstall = new Set<string>();
    for (const [hook, command] of Object.entries(facts.manifest.installScripts))
      for (const file of classifyInstallScript(hook, command, files).runsFiles)
        if (scripts.has(file)) atInstall.add(file);
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    const named = [
      ...Object.values(facts.manifest.installScripts),
      ...facts.code.filter((fact) => installFiles.has(fact.at.file)).flatMap((fact) => textsOf(fact)),
    ].join('\n');
    for (const script of scripts) if (named.includes(baseName(script))) atInstall.add(script);

    for (const script of atInstall) {
      const lines = facts.code.filter(
        (fact): fact is CallFact =>
          fact.at.file === script && isCallIn(fact, ['process']) && SCRIPT_SHELLS.has(fact.api),
      );
      const fetch = lines.find((line) => DOWNLOADS.test(line.args[0] ?? ''));
      if (!fetch) continue;
      const after = lines.filter((line) => line.at.line >= fetch.at.line);
      const run =
        after.find((line) => EXECUTES.test(line.args[0] ?? '')) ??
        after.find((line) => RUNS_RELATIVE.test(line.args[0] ?? ''));
      if (!run) continue;
      const dropper = EXECUTES.test(run.args[0] ?? '');
      const verified = lines.some((line) => VERIFIES.test(line.args[0] ?? ''));
      report({
        message: `${script}, run at install, downloads (line ${fetch.at.line}) and runs (line ${run.at.line})${verified ? ' after a checksum check' : ''}: ${(run.args[0] ?? '').slice(0, 100)}`,
        source: fetch.at,
        sink: run.at,
        ...(verified
          ? { severity: 'medium' as const, confidence: 'low' as const }
          : dropper
            ? {}
            : { severity: 'high' as const, confidence: 'medium' as const }),
      });
    }
  },
});
