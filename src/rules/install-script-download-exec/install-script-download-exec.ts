import { defineRule } from '../define-rule.js';
import { filesRunByInstallScripts, isCallIn, location } from '../fact-queries.js';

const DOWNLOADER =
  /\b(?:curl|wget|Invoke-WebRequest|iwr|Invoke-RestMethod|irm|certutil(?:\.exe)?\s+-urlcache|bitsadmin)\b/i;
/** What turns a download into execution: a pipe into a shell, chmod, running the file, iex. */
const EXECUTES =
  /\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\|\s*(?:node|python3?|perl|iex)\b|\bchmod\s+\+?[0-7x]|&&\s*\.{1,2}\/|\bstart\s+\/b\b|\bInvoke-Expression\b|\biex\b/i;

export const installScriptDownloadExec = defineRule({
  id: 'install-script-download-exec',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'critical',
    confidence: 'high',
    description: 'An install hook downloads code and runs it',
    references: [
      'https://github.com/advisories/GHSA-pjwm-rvh2-c87w',
      'https://www.cisa.gov/news-events/alerts/2021/10/22/malware-discovered-popular-npm-package-ua-parser-js',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      if (DOWNLOADER.test(command) && EXECUTES.test(command)) {
        report({
          message: `install hook "${hook}" downloads and executes: ${command.slice(0, 120)}`,
          at: location('package.json'),
        });
      }
    }
    for (const command of facts.manifest.bindingGyp?.commands ?? []) {
      if (DOWNLOADER.test(command))
        report({
          message: `binding.gyp command expansion downloads: ${command.slice(0, 120)}`,
          at: location('binding.gyp'),
        });
    }
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    for (const fact of facts.code) {
      if (fact.kind !== 'flow' || !installFiles.has(fact.at.file)) continue;
      if (isCallIn(fact.from, ['network']) && isCallIn(fact.to, ['process', 'eval'])) {
        report({
          message: `install-time file runs what ${fact.from.api} downloaded (${fact.to.api})`,
          source: fact.from.at,
          sink: fact.to.at,
        });
      }
      // Shell downloaders spawned from the install file: exec('curl … | sh').
    }
    for (const fact of facts.code) {
      if (!installFiles.has(fact.at.file) || !isCallIn(fact, ['process'])) continue;
      const command = fact.args.join(' ');
      if (DOWNLOADER.test(command) && EXECUTES.test(command))
        report({
          message: `install-time file spawns a download-and-run command: ${command.slice(0, 120)}`,
          at: fact.at,
        });
    }
  },
});
