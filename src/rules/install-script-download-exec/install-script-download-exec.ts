import { defineRule } from '../define-rule.js';
import { filesRunByInstallScripts, isCallIn, location } from '../fact-queries.js';

const DOWNLOADER =
  /\b(?:curl|wget|Invoke-WebRequest|iwr|Invoke-RestMethod|irm|certutil(?:\.exe)?\s+-urlcache|bitsadmin)\b/i;
/** What turns a download into execution: a pipe into a shell, chmod, running the file, iex. */
const EXECUTES =
  /\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\|\s*(?:node|python3?|perl|iex)\b|\bchmod\s+\+?[0-7x]|&&\s*\.{1,2}\/|\bstart\s+\/b\b|\bInvoke-Expression\b|\biex\b/i;

/** Where droppers put their second stage: temp dirs, user bin dirs, app-data folders. */
const DROP_DIR =
  /^\/tmp\/|^\/var\/tmp\/|^\/dev\/shm\/|[\\/]\.local[\\/]bin[\\/]|%(?:TEMP|TMP|APPDATA|LOCALAPPDATA|PROGRAMDATA)%|\\AppData\\|\\ProgramData\\/i;

const isExecutableMode = (arg: string | undefined): boolean => {
  const mode = Number(arg);
  return Number.isInteger(mode) && (mode & 0o111) !== 0;
};

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
    }
    for (const file of installFiles) {
      const fileFacts = facts.code.filter((fact) => fact.at.file === file);
      // The dropper shape when no flow was seen: download, write into a temp or user dir, make it executable, spawn.
      const fetches = fileFacts.find((fact) => isCallIn(fact, ['network']));
      const drop = fileFacts.find(
        (fact) => isCallIn(fact, ['filesystem-write']) && DROP_DIR.test(fact.args[0] ?? ''),
      );
      const chmods = fileFacts.some(
        (fact) =>
          isCallIn(fact, ['filesystem-write']) && /chmod/i.test(fact.api) && isExecutableMode(fact.args[1]),
      );
      const runs = fileFacts.find((fact) => isCallIn(fact, ['process']));
      if (fetches && drop?.kind === 'call' && chmods && runs)
        report({
          message: `install-time file downloads, writes an executable to ${drop.args[0]} and spawns a process`,
          source: fetches.at,
          sink: runs.at,
        });
    }
    // Shell downloaders spawned from the install file: exec('curl … | sh').
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
