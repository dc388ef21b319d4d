import type { CodeFact } from '../../analysis/types.js';
import { credentialKind } from '../credential-file-read/credential-file-read.js';
import { defineRule } from '../define-rule.js';
import { isCallIn, isLoopbackHost, textsOf } from '../fact-queries.js';

/**
 * Parts of a variable name (split at `_`) that say it holds a secret: `NPM_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`, `npm_config__authToken`, `DB_PASSWORD`. `npm_config_proxy`,
 * `KEYMETRICS_NODE` and `AWS_REGION` are configuration.
 */
const SECRET_PART =
  /^(?:[a-z]*token|secret|secrets|pass|passwd|password|pwd|apikey|auth|authtoken|credentials?|creds?|session|cookie|privatekey|mnemonic|seed)$/i;
const KEY_PAIRS = /(?:^|_)(?:API|ACCESS|SECRET|PRIVATE|SIGNING|ENCRYPTION|MASTER|DEPLOY|SSH)_KEY(?:_|$)/i;
export const isSecretEnvKey = (key: string): boolean =>
  KEY_PAIRS.test(key) || key.split('_').some((part) => SECRET_PART.test(part));

/** Where a token is meant to go: sending a GitHub token to api.github.com is using it. */
const FIRST_PARTY_HOSTS = [
  'github.com',
  'githubusercontent.com',
  'npmjs.org',
  'npmjs.com',
  'yarnpkg.com',
  'amazonaws.com',
  'googleapis.com',
  'azure.com',
  'windows.net',
  'gitlab.com',
  'bitbucket.org',
  'sentry.io',
  'netlify.com',
  'vercel.com',
];

const hostsIn = (args: readonly string[]): string[] =>
  args.flatMap((arg) => {
    try {
      return [new URL(arg).hostname.toLowerCase()];
    } catch {
      return isLoopbackHost(arg) ? [arg.toLowerCase()] : [];
    }
  });
const EXFIL_COMMAND = /\b(?:curl|wget|nc|ncat|nslookup|dig|Invoke-WebRequest|iwr)\b/i;

/** What a secret source is, or undefined when the fact is not one. */
export const secretSource = (fact: CodeFact): string | undefined => {
  if (fact.kind === 'env-read') {
    if (fact.key === '*') return 'the whole environment';
    return isSecretEnvKey(fact.key) ? `process.env.${fact.key}` : undefined;
  }
  if (fact.kind === 'sensitive-path' || isCallIn(fact, ['filesystem-read'])) {
    for (const text of textsOf(fact)) {
      const kind = credentialKind(text);
      if (kind) return kind.name;
    }
  }
  return undefined;
};

/** Calls that move data off the machine. */
export const isExfilSink = (fact: CodeFact): boolean => {
  if (fact.kind !== 'call') return false;
  if (fact.category === 'network' || fact.category === 'dns') return true;
  return fact.category === 'process' && fact.args.some((arg) => EXFIL_COMMAND.test(arg));
};

export const credentialExfilChain = defineRule({
  id: 'credential-exfil-chain',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'critical',
    confidence: 'high',
    description:
      'A secret (credential file, token variable, the whole environment) flows into a network send',
    references: [
      'https://attack.mitre.org/techniques/T1041/',
      'https://www.stepsecurity.io/blog/ctrl-tinycolor-and-40-npm-packages-compromised',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    // The URL hosts each file names; a send whose URL is built at run time goes to one of them.
    const fileHosts = new Map<string, string[]>();
    for (const fact of facts.code)
      if (fact.kind === 'url')
        fileHosts.set(fact.at.file, [...(fileHosts.get(fact.at.file) ?? []), fact.host.toLowerCase()]);
    for (const fact of facts.code) {
      if (fact.kind !== 'flow' || !isExfilSink(fact.to) || fact.to.kind !== 'call') continue;
      const source = secretSource(fact.from);
      if (!source) continue;
      const literal = hostsIn(fact.to.args);
      // A local service (a worker's stream port, a dev server) is not off the machine.
      if (literal.length > 0 && literal.every(isLoopbackHost)) continue;
      // `fetch(`${base}?page=${n}`)` with `const base = 'https://api.github.com/…'` (ajv 7's
      // contributors script): no literal host in the call, so the file's own URLs stand for it —
      // enough to grade the send as going to the token's service (medium), never to silence it.
      const hosts =
        literal.length > 0 || fact.to.category !== 'network'
          ? literal
          : (fileHosts.get(fact.to.at.file) ?? []);
      const firstParty =
        hosts.length > 0 &&
        hosts.every((host) =>
          FIRST_PARTY_HOSTS.some((domain) => host === domain || host.endsWith(`.${domain}`)),
        );
      report({
        message: `${source} flows into ${fact.to.api}${firstParty ? ` (to ${hosts[0]}, the service such a token is for)` : ''}`,
        source: fact.from.at,
        sink: fact.to.at,
        ...(firstParty ? { confidence: 'medium' as const } : {}),
      });
    }
  },
});
