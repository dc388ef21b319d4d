import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { ARCHIVE_MODULES } from '../exfil-archive-upload/exfil-archive-upload.js';
import { isSend, near } from '../exfil-archive-upload/sends-data.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** Files a harvester looks for while it walks. */
const WANTED = new Set([
  'ssh',
  'npmrc',
  'aws-credentials',
  'gcloud-credentials',
  'azure-credentials',
  'git-credentials',
  'docker-config',
  'kubernetes',
  'dotenv',
  'crypto-wallet',
  'browser-profile',
]);
const HOME_ENV = /^(?:HOME|USERPROFILE|HOMEPATH)$/;
/** Lines around the folder listing that the walk's other parts must sit in. */
const WINDOW = 40;

export const credentialsHomeWalk = defineRule({
  id: 'credentials-home-walk',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description: 'Walks the home directory listing folders and reads secret-named files, then sends data',
    references: [
      'https://www.stepsecurity.io/blog/ctrl-tinycolor-and-40-npm-packages-compromised',
      'https://attack.mitre.org/techniques/T1083/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const isHome = (fact: CodeFact) =>
        (isCallIn(fact, ['os']) && /homedir|userInfo/.test(fact.api)) ||
        (fact.kind === 'env-read' && HOME_ENV.test(fact.key));
      const isRead = (fact: CodeFact) =>
        isCallIn(fact, ['filesystem-read']) && /readFile|createReadStream/.test(fact.api);
      const isOut = (fact: CodeFact) =>
        isSend(fact) || (fact.kind === 'import' && ARCHIVE_MODULES.has(fact.module));
      if (!fileFacts.some(isHome) || !fileFacts.some(isOut)) continue;
      // In one stretch of code: a bundle holds a config loader, a file watcher and an HTTP client
      // far apart, and together they are not a walk.
      for (const list of fileFacts) {
        if (!isCallIn(list, ['filesystem-read']) || !/readdir|opendir/.test(list.api)) continue;
        const close = fileFacts.filter((fact) => near(fact.at, list.at, WINDOW));
        const home = close.find(isHome);
        const out = fileFacts.find(
          (fact) => isOut(fact) && (fact.kind === 'import' || near(fact.at, list.at, WINDOW * 2)),
        );
        if (!home || !out || !close.some(isRead)) continue;
        const wanted = new Set<string>();
        for (const fact of close)
          if (fact.kind === 'sensitive-path' && WANTED.has(fact.category)) wanted.add(fact.category);
        if (wanted.size === 0) continue;
        report({
          message: `${file} lists folders under the home directory looking for ${[...wanted].join(', ')} files, and sends data`,
          source: home.at,
          sink: list.at,
          // Hunting several kinds of secret file across the home directory is a harvester's sweep.
          confidence: wanted.size >= 2 ? 'high' : 'medium',
        });
        break;
      }
    }
  },
});
