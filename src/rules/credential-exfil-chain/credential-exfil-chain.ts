import type { CodeFact } from '../../analysis/types.js';
import { credentialKind } from '../credential-file-read/credential-file-read.js';
import { defineRule } from '../define-rule.js';
import { isCallIn, textsOf } from '../fact-queries.js';

const SECRET_ENV_KEY =
  /TOKEN|SECRET|PASS|PWD|KEY|AUTH|CRED|SESSION|COOKIE|^AWS_|^NPM_|^GH_|^GITHUB_|^AZURE_|^GOOGLE_/i;
const EXFIL_COMMAND = /\b(?:curl|wget|nc|ncat|nslookup|dig|Invoke-WebRequest|iwr)\b/i;

/** What a secret source is, or undefined when the fact is not one. */
export const secretSource = (fact: CodeFact): string | undefined => {
  if (fact.kind === 'env-read') {
    if (fact.key === '*') return 'the whole environment';
    return SECRET_ENV_KEY.test(fact.key) ? `process.env.${fact.key}` : undefined;
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
    version: 1,
  },
  detect({ facts, report }) {
    for (const fact of facts.code) {
      if (fact.kind !== 'flow' || !isExfilSink(fact.to) || fact.to.kind !== 'call') continue;
      const source = secretSource(fact.from);
      if (!source) continue;
      report({ message: `${source} flows into ${fact.to.api}`, source: fact.from.at, sink: fact.to.at });
    }
  },
});
