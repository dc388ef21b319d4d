import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn, textsOf } from '../fact-queries.js';

/** Files whose content is a credential. Matched on paths however the extractor categorised them. */
/**
 * `toolConfig`: also the config file of the matching legitimate tool (npm clients read .npmrc,
 * cloud SDKs read their credentials), so one such read alone is low confidence.
 */
export const CREDENTIAL_PATHS: readonly { name: string; pattern: RegExp; toolConfig?: true }[] = [
  { name: 'SSH keys', pattern: /(?:^|[\\/~])\.ssh(?:[\\/]|$)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b/ },
  { name: 'npm token', pattern: /(?:^|[\\/~])\.npmrc$/, toolConfig: true },
  { name: 'AWS credentials', pattern: /\.aws[\\/](?:credentials|config)\b/, toolConfig: true },
  {
    name: 'gcloud credentials',
    pattern: /\.config[\\/]gcloud\b|application_default_credentials\.json/,
    toolConfig: true,
  },
  { name: 'Azure credentials', pattern: /(?:^|[\\/~])\.azure(?:[\\/]|$)/, toolConfig: true },
  { name: 'git credentials', pattern: /\.git-credentials\b/ },
  { name: 'Docker credentials', pattern: /\.docker[\\/]config\.json/, toolConfig: true },
  { name: 'Kubernetes config', pattern: /\.kube[\\/]config\b/, toolConfig: true },
  { name: 'shell history', pattern: /\.(?:bash|zsh)_history\b/ },
  { name: 'netrc', pattern: /(?:^|[\\/~])[._]netrc$/, toolConfig: true },
  { name: 'PyPI token', pattern: /(?:^|[\\/~])\.pypirc$/, toolConfig: true },
  { name: 'system passwords', pattern: /^\/etc\/(?:passwd|shadow)$/ },
  { name: 'Solana wallet', pattern: /\.config[\\/]solana[\\/]id\.json/ },
  {
    name: 'crypto wallet',
    pattern: /\bexodus\.wallet\b|(?:^|[\\/])\.electrum(?:[\\/]|$)|nkbihfbeogaeaoehlefnkodbefgpgknn/,
  },
  { name: 'browser credentials', pattern: /[\\/](?:Login Data|Cookies|Web Data)$/ },
];

export const credentialKind = (value: string): (typeof CREDENTIAL_PATHS)[number] | undefined =>
  CREDENTIAL_PATHS.find(({ pattern }) => pattern.test(value));

/** Lines within which two credential kinds read by one file are one harvesting routine. */
const HARVEST_WINDOW_LINES = 300;

export const credentialFileRead = defineRule({
  id: 'credential-file-read',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description: 'Code reads files that hold credentials (SSH keys, .npmrc, cloud and wallet secrets)',
    references: [
      'https://attack.mitre.org/techniques/T1552/001/',
      'https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const reads = fileFacts.filter((fact) => isCallIn(fact, ['filesystem-read']));
      if (reads.length === 0) continue;
      const found = new Map<string, { at: Location; toolConfig: boolean }>();
      for (const fact of fileFacts) {
        if (fact.kind !== 'sensitive-path' && fact.kind !== 'string' && fact.kind !== 'call') continue;
        for (const text of textsOf(fact)) {
          const kind = credentialKind(text);
          if (kind && !found.has(kind.name))
            found.set(kind.name, { at: fact.at, toolConfig: kind.toolConfig === true });
        }
      }
      // Two or more kinds close together is a harvester, not a tool that needs its one config
      // file; in a bundle of a whole CLI (truffle's 80,000-line chunks) they can be far apart.
      const lines = [...found.values()].map(({ at }) => at.line).sort((a, b) => a - b);
      const close = lines.some((line, i) => i > 0 && line - (lines[i - 1] ?? 0) <= HARVEST_WINDOW_LINES);
      for (const [kind, { at, toolConfig }] of found) {
        const harvesting = found.size > 1 && close;
        report({
          message: `${file} reads ${kind}${harvesting ? ` (one of ${found.size} credential kinds)` : ''}`,
          at,
          confidence: harvesting ? 'high' : toolConfig ? 'low' : 'medium',
        });
      }
    }
  },
});
