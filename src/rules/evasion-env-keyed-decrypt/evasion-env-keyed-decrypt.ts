import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, factsOfKind, isCallIn } from '../fact-queries.js';

/** Metadata npm exports to scripts about the package being installed or run: the victim's, when read by a dependency. */
const CONSUMER_METADATA = /^npm_package_(?!version$)[\w]+$/;
const DECIPHER = /^crypto\.(?:createDecipheriv|createDecipher)$/;
const COMPILE = /(?:^|\.)_compile$|^(?:eval|Function|vm\.\w+)$/;

const isEncoded = (fact: CodeFact): boolean =>
  fact.kind === 'string' &&
  (fact.decodedFrom === 'hex' ||
    fact.decodedFrom === 'base64' ||
    /^[0-9a-f]{64,}$/i.test(fact.value) ||
    /^[A-Za-z0-9+/]{64,}={0,2}$/.test(fact.value));

export const evasionEnvKeyedDecrypt = defineRule({
  id: 'evasion-env-keyed-decrypt',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'high',
    description:
      'Decrypts an embedded payload with a key taken from npm_package_* metadata: it only unlocks inside the targeted project',
    references: [
      'https://github.com/dominictarr/event-stream/issues/116',
      'https://blog.npmjs.org/post/180565383195/details-about-the-event-stream-incident',
      'https://attack.mitre.org/techniques/T1480/001/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    let found = false;
    for (const [file, fileFacts] of factsByFile(facts)) {
      const decipher = fileFacts.find((fact) => isCallIn(fact, ['crypto']) && DECIPHER.test(fact.api));
      if (!decipher) continue;
      const key = fileFacts.find((fact) => fact.kind === 'env-read' && CONSUMER_METADATA.test(fact.key));
      if (key?.kind !== 'env-read') continue;
      const runs = fileFacts.some((fact) => isCallIn(fact, ['eval']) && COMPILE.test(fact.api));
      const blob = fileFacts.some(isEncoded);
      found = true;
      report({
        message: `${file} decrypts with process.env.${key.key}${runs ? ' and compiles the result' : ''}`,
        source: key.at,
        sink: decipher.at,
        // The event-stream shape: consumer metadata as key, decrypted text run as code.
        confidence: runs || blob ? 'high' : 'medium',
      });
    }
    if (found) return;
    // flatmap-stream kept every name hex-encoded in a data file and decoded them at run time:
    // the names themselves, hidden, anywhere in the package.
    const tells = factsOfKind(facts, 'shape').filter((fact) => fact.shape === 'encoded-tell');
    if (tells.length === 0) return;
    const hidden = (pattern: RegExp) => tells.find((fact) => pattern.test(fact.detail));
    const decipher =
      hidden(/: createDecipher/) ??
      facts.code.find((fact) => isCallIn(fact, ['crypto']) && DECIPHER.test(fact.api));
    const key =
      hidden(/ npm_package_(?!version\b)\w+:/) ??
      facts.code.find((fact) => fact.kind === 'env-read' && CONSUMER_METADATA.test(fact.key));
    if (!decipher || !key || (decipher.kind !== 'shape' && key.kind !== 'shape')) return;
    const runs =
      hidden(/ _compile:/) ?? facts.code.find((fact) => isCallIn(fact, ['eval']) && COMPILE.test(fact.api));
    report({
      message: `decrypts with npm_package_* metadata, names hidden as encoded strings${runs ? ', and compiles the result' : ''}`,
      source: key.at,
      sink: decipher.at,
      confidence: runs ? 'high' : 'medium',
    });
  },
});
