import type { Confidence, Location } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { allTexts, factsOfKind } from '../fact-queries.js';

type Wipe = { name: string; pattern: RegExp; severity: Severity; confidence: Confidence };

const END = String.raw`(?=$|[\s;&|)'"\x60])`;
const HOME_OR_ROOT = String.raw`(?:~|\$HOME|\$\{HOME\}|\/|\/\*|~\/\*|\$HOME\/\*|\/home|\/Users|\/root)\/?`;

/** Commands that destroy a whole home directory or disk, or take the machine down. */
export const WIPES: readonly Wipe[] = [
  {
    name: 'recursive delete of home or root',
    pattern: new RegExp(
      String.raw`\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*\s+|--recursive\s+|--force\s+|-[a-zA-Z]*f[a-zA-Z]*\s+|--no-preserve-root\s+){1,4}["']?${HOME_OR_ROOT}["']?${END}`,
    ),
    severity: 'critical',
    confidence: 'high',
  },
  {
    // Only a command meant to delete `/` needs this flag.
    name: 'rm --no-preserve-root',
    pattern: /\brm\s+(?:-\S+\s+)*--no-preserve-root\b/,
    severity: 'critical',
    confidence: 'high',
  },
  {
    // Shai-Hulud 2.0: `find ~ -type f -writable … | xargs -0 -r shred -uvz -n 1`.
    name: 'shred over every file found',
    pattern: /\bxargs\b[^|;\n]{0,40}\bshred\s+-[a-zA-Z]*u/,
    severity: 'critical',
    confidence: 'high',
  },
  {
    name: 'shred',
    pattern:
      /\bshred\s+(?:-[a-zA-Z]+(?:\s+\d+)?\s+|--\w[\w-]*(?:=\S+)?\s+){0,5}(?:~|\$HOME|\/dev\/[sh]d[a-z]|\/dev\/nvme)/,
    severity: 'critical',
    confidence: 'high',
  },
  {
    name: 'Windows recursive delete of a profile or drive',
    pattern:
      /\b(?:rd|rmdir)\s+\/s\s+\/q\s+["']?(?:[A-Z]:\\?["']?(?:$|\s)|%USERPROFILE%|%HOMEPATH%)|\bdel\s+(?:\/[fsqa]\s+){2,4}["']?(?:[A-Z]:\\\*?["']?(?:$|\s)|%USERPROFILE%)|\bRemove-Item\b(?=[^;|\n]{0,120}-Recurse)[^;|\n]{0,120}?(?:\$HOME|\$env:USERPROFILE|[A-Z]:\\\*?["']?)(?=$|[\s"';])|\bformat\s+[A-Z]:\s*\/[qy]|\bcipher\s+\/w:/i,
    severity: 'critical',
    confidence: 'high',
  },
  {
    name: 'shutdown or reboot',
    pattern:
      /\bsudo\s+(?:shutdown|reboot|halt|poweroff)\b|\bshutdown\s+(?:-[hrP]\s+(?:now|0|\+0)|\/[srp]\b[^\n]{0,20}\/t\s+0)/,
    severity: 'high',
    confidence: 'medium',
  },
];

export const filesystemDestructiveWipe = defineRule({
  id: 'filesystem-destructive-wipe',
  meta: {
    kind: 'threat',
    category: 'filesystem',
    severity: 'critical',
    confidence: 'high',
    description:
      'Deletes or shreds the home directory or disk, or shuts the machine down (wiper, protestware)',
    references: [
      'https://attack.mitre.org/techniques/T1485/',
      'https://attack.mitre.org/techniques/T1529/',
      'https://www.wiz.io/blog/shai-hulud-2-0-ongoing-supply-chain-attack',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const texts: { text: string; at?: Location; where: string }[] = [
      ...allTexts(facts)
        .filter(({ fact }) => fact.kind === 'call' || fact.kind === 'string')
        .map(({ text, at }) => ({ text, at, where: at.file })),
      ...Object.entries(facts.manifest.installScripts).map(([hook, text]) => ({
        text,
        where: `scripts.${hook}`,
      })),
    ];
    for (const { text, at, where } of texts) {
      if (text.length > 4096) continue;
      const wipe = WIPES.find(({ pattern }) => pattern.test(text));
      if (!wipe) continue;
      report({
        message: `${where}: ${wipe.name}: ${text.slice(0, 100)}`,
        ...(at ? { at } : {}),
        severity: wipe.severity,
        confidence: wipe.confidence,
      });
    }
    for (const fact of factsOfKind(facts, 'shape')) {
      if (fact.shape !== 'home-delete') continue;
      report({ message: `${fact.at.file}: ${fact.detail}`, at: fact.at });
    }
  },
});
