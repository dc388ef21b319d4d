import { defineRule } from '../define-rule.js';
import { ARCHIVE_MODULES } from '../exfil-archive-upload/exfil-archive-upload.js';
import { sendsData } from '../exfil-archive-upload/sends-data.js';
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
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const home = fileFacts.find(
        (fact) =>
          (isCallIn(fact, ['os']) && /homedir|userInfo/.test(fact.api)) ||
          (fact.kind === 'env-read' && HOME_ENV.test(fact.key)),
      );
      const lists = fileFacts.find(
        (fact) => isCallIn(fact, ['filesystem-read']) && /readdir|opendir/.test(fact.api),
      );
      const reads = fileFacts.some(
        (fact) => isCallIn(fact, ['filesystem-read']) && /readFile|createReadStream/.test(fact.api),
      );
      if (!home || !lists || !reads) continue;
      const sends =
        sendsData(fileFacts) ||
        fileFacts.some((fact) => fact.kind === 'import' && ARCHIVE_MODULES.has(fact.module));
      if (!sends) continue;
      const wanted = new Set<string>();
      for (const fact of fileFacts)
        if (fact.kind === 'sensitive-path' && WANTED.has(fact.category)) wanted.add(fact.category);
      if (wanted.size === 0) continue;
      report({
        message: `${file} lists folders under the home directory looking for ${[...wanted].join(', ')} files, and sends data`,
        source: home.at,
        sink: lists.at,
        // Hunting several kinds of secret file across the home directory is a harvester's sweep.
        confidence: wanted.size >= 2 ? 'high' : 'medium',
      });
    }
  },
});
