import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn, textsOf } from '../fact-queries.js';

const PUBLISH = /\b(?:npm|pnpm|yarn(?:\s+npm)?|bun)\s+publish\b/;

/** What a worm does around the publish: learn who it is, find the victim's packages, bump, steal the token. */
const WORM_SIGNALS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'whoami', pattern: /\bnpm\s+whoami\b|\/-\/whoami\b/ },
  { name: 'maintainer search', pattern: /maintainer:|\/-\/v1\/search\b|\/-\/user\/[^/\s]+\/package\b/ },
  { name: 'version bump', pattern: /\b(?:npm|pnpm|yarn)\s+version\s+(?:patch|minor|major|prerelease)\b/ },
  { name: 'tarball repack', pattern: /\bnpm\s+pack\b|\btar\s+-?[cxz]+f?\b/ },
  { name: 'npm token', pattern: /^NPM_TOKEN$|^NPM_AUTH_TOKEN$|_authToken|(?:^|[\\/~])\.npmrc$/ },
];

/** Packages whose job is publishing. */
const PUBLISHERS =
  /^(?:np|npm|pnpm|yarn|lerna|release-it|semantic-release|publish-please|@semantic-release\/.+|@lerna\/.+|@changesets\/.+|@release-it\/.+)$/;

export const registryPublishFromDependency = defineRule({
  id: 'registry-publish-from-dependency',
  meta: {
    kind: 'threat',
    category: 'supply-chain',
    severity: 'critical',
    confidence: 'medium',
    description: 'A package runs `npm publish` itself, the self-propagation step of npm worms',
    references: [
      'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem',
      'https://attack.mitre.org/techniques/T1195/001/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    if (PUBLISHERS.test(facts.manifest.name)) return;
    for (const [file, fileFacts] of factsByFile(facts)) {
      const spawns = fileFacts.some((fact) => isCallIn(fact, ['process']));
      let publish: { at: Location; text: string } | undefined;
      const signals = new Set<string>();
      for (const fact of fileFacts) {
        for (const text of textsOf(fact)) {
          // A publish command counts when it is run, or kept as a string in a file that runs commands.
          if (
            !publish &&
            PUBLISH.test(text) &&
            (isCallIn(fact, ['process']) || (spawns && fact.kind === 'string'))
          )
            publish = { at: fact.at, text };
          for (const { name, pattern } of WORM_SIGNALS) if (pattern.test(text)) signals.add(name);
        }
      }
      if (!publish) continue;
      const worm = signals.size >= 2;
      report({
        message: `${file} publishes to the registry: ${publish.text.slice(0, 60)}${signals.size ? ` (with ${[...signals].join(', ')})` : ''}`,
        at: publish.at,
        confidence: worm ? 'high' : 'medium',
      });
    }
  },
});
