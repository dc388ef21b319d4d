import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { allTexts } from '../fact-queries.js';

export const MINER_SIGNALS: readonly { name: string; pattern: RegExp }[] = [
  {
    name: 'miner binary',
    pattern: /\b(?:xmrig|xmr-stak|cpuminer|cgminer|bfgminer|ethminer|nbminer|t-rex|lolminer|phoenixminer)\b/i,
  },
  { name: 'stratum pool URL', pattern: /\bstratum\d?\+(?:tcp|ssl|tls):\/\//i },
  {
    name: 'mining pool host',
    pattern:
      /\b(?:[\w-]+\.)*(?:hashvault\.pro|moneroocean\.stream|supportxmr\.com|minexmr\.com|nanopool\.org|2miners\.com|f2pool\.com|c3pool\.com|herominers\.com|nicehash\.com|unmineable\.com|xmrpool\.eu)\b/i,
  },
  {
    name: 'miner options',
    pattern: /--(?:coin[= ](?:monero|xmr)|donate-level|cpu-max-threads-hint|randomx-mode)\b/i,
  },
  {
    name: 'Monero address',
    pattern: /(?:^|[^1-9A-HJ-NP-Za-km-z])[48][1-9A-HJ-NP-Za-km-z]{94}(?:$|[^1-9A-HJ-NP-Za-km-z])/,
  },
];

export const minerStrings = defineRule({
  id: 'miner-strings',
  meta: {
    kind: 'threat',
    category: 'process',
    severity: 'high',
    confidence: 'high',
    description:
      'Crypto-miner names, stratum pool URLs, pool hosts, miner options or Monero wallet addresses',
    references: [
      'https://attack.mitre.org/techniques/T1496/',
      'https://github.com/faisalman/ua-parser-js/issues/536',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const found = new Map<string, { at: Location; text: string }>();
    for (const { text, at } of allTexts(facts)) {
      for (const { name, pattern } of MINER_SIGNALS) {
        if (!found.has(name) && pattern.test(text)) found.set(name, { at, text });
      }
    }
    // One mention can be documentation ("we block xmrig"); two different signals are a miner config.
    const confidence = found.size > 1 ? 'high' : 'medium';
    for (const [name, { at, text }] of found)
      report({ message: `${name}: ${text.slice(0, 80)}`, at, confidence });
  },
});
