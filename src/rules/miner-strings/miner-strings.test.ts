import { describe, expect, it } from 'vitest';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { minerStrings as rule } from './miner-strings.js';

const MONERO_SHAPED = `4${'A'.repeat(94)}`;

describe('miner-strings', () => {
  it('reports a miner command line at high confidence, one finding per signal', () => {
    const command = `xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u ${MONERO_SHAPED} --coin monero`;
    const findings = rule.run(
      packageFacts({ code: [call('child_process.spawn', 'process', at('a.js', 4), [command])] }),
    );
    expect(findings.map((f) => f.message.split(':')[0])).toEqual([
      'miner binary',
      'stratum pool URL',
      'mining pool host',
      'miner options',
      'Monero address',
    ]);
    expect(new Set(findings.map((f) => f.confidence))).toEqual(new Set(['high']));
  });

  it('reports a single signal at medium confidence', () => {
    const findings = rule.run(packageFacts({ code: [str('stratum+ssl://pool.invalid:443', at('a.js', 1))] }));
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it.each(['Monero (XMR) price in USD', 'stratum', `prefix${MONERO_SHAPED}`, `${MONERO_SHAPED}B`])(
    'is silent for %s',
    (text) => {
      expect(rule.run(packageFacts({ code: [str(text, at('a.js', 1))] }))).toEqual([]);
    },
  );
});
