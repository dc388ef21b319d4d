import type { Confidence, Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn, textsOf } from '../fact-queries.js';

/** The worm's steps before it publishes: who am I, what do I maintain, bump, repack (plus `install-hook-injection` shapes). */
const PROBES: readonly { name: string; pattern: RegExp; run?: boolean }[] = [
  { name: 'whoami', pattern: /\bnpm\s+whoami\b/, run: true },
  { name: 'whoami', pattern: /\/-\/whoami\b/ },
  {
    name: 'maintainer search',
    pattern: /\/-\/v1\/search\?\S*\bmaintainer:|\/-\/user\/[^/\s]+\/package\b|\/-\/org\/[^/\s]+\/package\b/,
  },
  {
    name: 'version bump',
    pattern: /\b(?:npm|pnpm|yarn)\s+version\s+(?:patch|minor|major|prerelease)\b/,
    run: true,
  },
  { name: 'tarball repack', pattern: /\bnpm\s+pack\b/, run: true },
];

/** Packages whose job is talking to the registry as the user. */
const REGISTRY_CLIENTS =
  /^(?:np|npm|pnpm|yarn|lerna|release-it|semantic-release|publish-please|npm-registry-fetch|npm-profile|npm-check-updates|pacote|libnpm\w*|@npmcli\/.+|@semantic-release\/.+|@lerna\/.+|@changesets\/.+|@release-it\/.+|@pnpm\/.+|@yarnpkg\/.+)$/;

export const registryTokenProbe = defineRule({
  id: 'registry-token-probe',
  meta: {
    kind: 'threat',
    category: 'supply-chain',
    severity: 'high',
    confidence: 'medium',
    description:
      'Validates an npm token, enumerates the victim’s packages, or injects install hooks into repacked packages (worm prelude)',
    references: [
      'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem',
      'https://unit42.paloaltonetworks.com/npm-supply-chain-attack/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    if (REGISTRY_CLIENTS.test(facts.manifest.name)) return;
    for (const [file, fileFacts] of factsByFile(facts)) {
      const spawns = fileFacts.some((fact) => isCallIn(fact, ['process']));
      const found = new Map<string, Location>();
      for (const fact of fileFacts) {
        // Commands count when run, or kept as strings (or template text, `registry-probe-text`) in
        // a file that runs commands; registry paths count anywhere (fetch and https request them).
        if (fact.kind === 'shape' && fact.shape === 'install-hook-injection') {
          if (!found.has('install hook injection')) found.set('install hook injection', fact.at);
          continue;
        }
        const probeText = fact.kind === 'shape' && fact.shape === 'registry-probe-text';
        if (fact.kind === 'shape' && !probeText) continue;
        const runs = isCallIn(fact, ['process']) || (spawns && (fact.kind === 'string' || probeText));
        for (const text of textsOf(fact))
          for (const { name, pattern, run } of PROBES)
            if (!found.has(name) && (!run || runs) && pattern.test(text)) found.set(name, fact.at);
      }
      const [first] = found.values();
      if (!first) continue;
      // A probe of the registry, or a manifest given an install hook and then repacked or bumped.
      const probes = found.has('whoami') || found.has('maintainer search');
      const carrier =
        found.has('install hook injection') && (found.has('tarball repack') || found.has('version bump'));
      if (!probes && !carrier) continue;
      const confidence: Confidence = found.size >= 3 ? 'high' : found.size === 2 ? 'medium' : 'low';
      report({
        message: `${file} probes the registry as the user: ${[...found.keys()].join(', ')}`,
        at: first,
        confidence,
      });
    }
  },
});
