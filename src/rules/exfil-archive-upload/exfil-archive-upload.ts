import { CREDENTIAL_PATH_CATEGORIES } from '../../analysis/facts/string-signals.js';
import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';
import { isSend, near, sendsData, shapesNamed } from './sends-data.js';

export const ARCHIVE_MODULES = new Set([
  'archiver',
  'adm-zip',
  'jszip',
  'yazl',
  'zip-a-folder',
  'node-7z',
  'tar',
  'tar-fs',
  'compressing',
  'zip-lib',
]);

/** Lines between what is collected and where it is sent. */
const WINDOW = 100;
const SMALL_FILE = 400;

/** What a harvester collects before it packs: credentials, wallets, browser profiles, history. */
const COLLECTED = new Set([...CREDENTIAL_PATH_CATEGORIES, 'dotenv']);

/** `curl -F file=@…`, `curl -T …`, `--upload-file`, `--data-binary @…`: a file posted by curl. */
const CURL_UPLOAD =
  /\bcurl\b[^\n]{0,200}?(?:\s-F\s*['"]?[\w-]+=@|\s-T\s|--upload-file\b|--data-binary\s+['"]?@)/;

export const exfilArchiveUpload = defineRule({
  id: 'exfil-archive-upload',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'medium',
    description: 'Collected home-directory files are archived and sent, or a file is uploaded with curl',
    references: [
      'https://securitylabs.datadoghq.com/articles/mut-1244-targeting-offensive-actors/',
      'https://attack.mitre.org/techniques/T1560/',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      for (const fact of fileFacts) {
        const texts = fact.kind === 'call' ? fact.args : fact.kind === 'string' ? [fact.value] : [];
        const upload = texts.find((text) => CURL_UPLOAD.test(text));
        if (upload !== undefined)
          report({ message: `uploads a file with curl: ${upload.slice(0, 80)}`, at: fact.at });
      }
      const curlUploads = shapesNamed(fileFacts, 'curl-file-upload');
      for (const upload of curlUploads)
        report({ message: `uploads a file with curl: ${upload.detail.slice(0, 80)}`, at: upload.at });
      const archive =
        fileFacts.find((fact) => fact.kind === 'import' && ARCHIVE_MODULES.has(fact.module)) ??
        shapesNamed(fileFacts, 'archive-command')[0];
      if (!archive || !(sendsData(fileFacts) || curlUploads.length > 0)) continue;
      const packer =
        archive.kind === 'import'
          ? archive.module
          : archive.kind === 'shape'
            ? `\`${archive.detail.trim().slice(0, 30)}\``
            : '';
      // Near a send, so a bundle's config loader and its unrelated HTTP client do not combine;
      // a module-level import of an HTTP client counts in a file small enough to be one module.
      const small = (facts.files.find((stats) => stats.file === file)?.lines ?? 0) <= SMALL_FILE;
      const sendNear = (at: Location) =>
        fileFacts.some(
          (fact) =>
            (isSend(fact) || (fact.kind === 'shape' && fact.shape === 'curl-file-upload')) &&
            (fact.kind === 'import' ? small : near(fact.at, at, WINDOW)),
        );
      const collected = new Set<string>();
      for (const fact of fileFacts)
        if (fact.kind === 'sensitive-path' && COLLECTED.has(fact.category) && sendNear(fact.at))
          collected.add(fact.category);
      const walksHome = fileFacts.some(
        (home) =>
          isCallIn(home, ['os']) &&
          /homedir|userInfo/.test(home.api) &&
          sendNear(home.at) &&
          fileFacts.some(
            (list) =>
              isCallIn(list, ['filesystem-read']) &&
              /readdir|opendir/.test(list.api) &&
              near(list.at, home.at, WINDOW),
          ),
      );
      if (collected.size === 0 && !walksHome) continue;
      const what = collected.size > 0 ? [...collected].join(', ') : 'a walk of the home directory';
      report({
        message: `${file} packs ${what} with ${packer} and sends it out`,
        at: archive.at,
        // Credential files packed and sent: no backup tool ships that to strangers' machines.
        confidence: collected.size > 0 ? 'high' : 'medium',
      });
    }
  },
});
