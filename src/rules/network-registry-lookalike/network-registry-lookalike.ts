import type { Confidence, Location } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { hostForMatching, isCallIn } from '../fact-queries.js';
import { NPMRC_FILE } from '../npmrc-facts.js';

type Brand = { name: string; owned: readonly string[]; words?: RegExp };

/** Registry and code-host brands phishing copies, with the registrable domains each owns. */
const BRANDS: readonly Brand[] = [
  { name: 'npmjs', owned: ['npmjs.com', 'npmjs.org', 'cnpmjs.org'] },
  {
    name: 'github',
    owned: [
      'github.com',
      'github.io',
      'githubusercontent.com',
      'githubassets.com',
      'githubapp.com',
      'github.dev',
      'github.blog',
      'githubstatus.com',
      'githubcopilot.com',
      'github.community',
      'githubnext.com',
      'github.net',
    ],
    // Third parties name things "github-…" freely; phishing pairs the brand with account words.
    words:
      /^(?:registry|npm|packages?|login|signin|auth|oauth|sso|security|support|verify|verification|account|accounts|help|token|tokens|secure|2fa|mfa)$/,
  },
  { name: 'yarnpkg', owned: ['yarnpkg.com'] },
];
/** `npm` alone is in many honest names (npmmirror, npm-stat); only account and registry words make it a lure. */
const NPM_LURE =
  /^(?:npm-?(?:registry|login|signin|auth|support|security|verify|verification|account|accounts|help|token|tokens|secure|2fa|mfa)|(?:registry|login|support|security|verify|account|help|secure)-?npm)$/;

const HOMOGLYPHS: readonly [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/1/g, 'l'],
];
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac']);

/** Optimal-string-alignment distance, stopping above 1 (only single edits matter here). */
const withinOneEdit = (a: string, b: string): boolean => {
  if (a === b || Math.abs(a.length - b.length) > 1) return a === b;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const swap = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return (
    swap ||
    a.slice(i + 1) === b.slice(i + 1) ||
    a.slice(i + 1) === b.slice(i) ||
    a.slice(i) === b.slice(i + 1)
  );
};

/** How `host` impersonates a registry brand, if it does. */
export const impersonation = (rawHost: string): string | undefined => {
  const host = hostForMatching(rawHost);
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((label) => label === '')) return undefined;
  const take = labels.length >= 3 && SECOND_LEVEL.has(labels.at(-2)!) && labels.at(-1)!.length === 2 ? 3 : 2;
  const registrable = labels.slice(-take).join('.');
  const label = labels.at(-take)!;
  const below = labels.slice(0, -take).join('.');
  const folded = label.replace(/-/g, '');
  const deglyphed = HOMOGLYPHS.reduce((text, [from, to]) => text.replace(from, to), folded);
  for (const brand of BRANDS) {
    if (brand.owned.includes(registrable)) return undefined;
    if (brand.owned.some((domain) => `${below}.`.includes(`${domain}.`)))
      return `puts ${brand.name}'s domain in front of ${registrable}`;
    if (label === brand.name) return `is ${brand.name} on another domain (${registrable})`;
    const tokens = label.split('-');
    if (tokens.length > 1 && tokens.includes(brand.name)) {
      if (!brand.words || tokens.some((token) => token !== brand.name && brand.words!.test(token)))
        return `adds words to ${brand.name} (${registrable})`;
    }
    if (!brand.words && folded !== brand.name && folded.includes(brand.name))
      return `embeds ${brand.name} (${registrable})`;
    if (deglyphed !== folded && deglyphed === brand.name)
      return `spells ${brand.name} with look-alike letters (${registrable})`;
    if (folded.length >= 5 && withinOneEdit(deglyphed, brand.name))
      return `is one typo from ${brand.name} (${registrable})`;
  }
  if (NPM_LURE.test(label)) return `pairs npm with account words (${registrable})`;
  return undefined;
};

/** Bare host names and e-mail domains inside a string. */
const HOSTS = /(?:^|[^\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12})(?![\w-])/gi;
const BRANDISH = /np[mn]|rnjs|github|gith|githu|yarn/i;
const FILE_EXTENSION =
  /^(?:js|mjs|cjs|ts|mts|cts|jsx|tsx|json|md|markdown|yml|yaml|txt|html?|css|scss|map|lock|sh|png|svg|jpg|gif|xml|toml|ini|cfg|log|d|node|wasm|gz|tgz|zip|exe|dll)$/i;
const REGISTRY_CONTEXT = /--registry\b|\bregistry\s*=|\bnpm\s+config\s+set\b|\bnpm\s+(?:login|adduser)\b/i;

export const networkRegistryLookalike = defineRule({
  id: 'network-registry-lookalike',
  meta: {
    kind: 'threat',
    category: 'network',
    severity: 'high',
    confidence: 'medium',
    description: 'A look-alike of the npm, GitHub or Yarn registry domains (phishing infrastructure)',
    references: [
      'https://github.com/prettier/eslint-config-prettier/issues/339',
      'https://www.aikido.dev/blog/npm-debug-and-chalk-packages-compromised',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const seen = new Set<string>();
    const flag = (host: string, at: Location, severity: Severity, confidence: Confidence, where: string) => {
      const how = impersonation(host);
      if (!how) return;
      const key = `${hostForMatching(host)}\0${at.file}`;
      if (seen.has(key)) return;
      seen.add(key);
      report({ message: `${where} ${hostForMatching(host)}, which ${how}`, at, severity, confidence });
    };
    for (const fact of facts.code) {
      if (fact.kind === 'url') {
        if (NPMRC_FILE.test(fact.at.file))
          flag(fact.host, fact.at, 'high', 'high', '.npmrc shipped in the package points at');
        else flag(fact.host, fact.at, 'high', 'medium', 'code names');
        continue;
      }
      const texts = fact.kind === 'string' ? [fact.value] : isCallIn(fact, ['process']) ? fact.args : [];
      for (const text of texts) {
        if (text.length > 4000 || !BRANDISH.test(text)) continue;
        // `npm config set registry https://npmjs-registry…` or `--registry=…`: installs from the look-alike.
        const registry = REGISTRY_CONTEXT.test(text);
        for (const match of text.matchAll(HOSTS)) {
          const host = match[1]!;
          const tld = hostForMatching(host).split('.').at(-1) ?? '';
          if (FILE_EXTENSION.test(tld) || !BRANDISH.test(host)) continue;
          flag(
            host,
            fact.at,
            'high',
            registry ? 'high' : 'medium',
            registry ? 'registry setting uses' : 'code names',
          );
        }
      }
    }
  },
});
