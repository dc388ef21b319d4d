import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';
import { addressCoin, regexCoin } from './wallet-patterns.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape.startsWith('wallet-address') ? [`${fact.shape}: ${fact.detail}`] : [],
  );

describe('wallet-patterns shape', () => {
  it.each([
    ['0x[a-fA-F0-9]{40}', 'ETH'],
    ['^(0x)[0-9a-f]{40}$', 'ETH'],
    [String.raw`\b1[a-km-zA-HJ-NP-Z1-9]{25,34}\b`, 'BTC'],
    ['bc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{11,71}', 'BTC'],
    [String.raw`\bbc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{11,71}\b`, 'BTC'],
    ['(?<!\\w)ltc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{11,71}', 'LTC'],
    ['(?<!\\w)[T][1-9A-HJ-NP-Za-km-z]{33}', 'TRX'],
    ['[LM3][a-km-zA-HJ-NP-Z1-9]{26,33}', 'LTC'],
    ['bitcoincash:[qp][a-zA-Z0-9]{41}', 'BCH'],
    ['[1-9A-HJ-NP-Za-km-z]{32,44}', 'SOL'],
  ])('names the coin of /%s/', (pattern, coin) => {
    expect(regexCoin(pattern)).toBe(coin);
  });

  it.each([
    '^abc1[0-9]+$',
    'voltc1[a-z]',
    '[a-f0-9]{40}',
    '[0-9a-f]{64}',
    '\\d{4}-\\d{2}',
    '[A-Za-z0-9+/]{43}=',
  ])('names no coin for /%s/', (pattern) => {
    expect(regexCoin(pattern)).toBeUndefined();
  });

  it.each([
    ['0x52908400098527886E0F7030069857D2E4169EE7', 'ETH'],
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'BTC'],
    ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'BTC'],
    ['TFixturePayee7WaLLetAddrEssXYZa2345', undefined],
    ['TFixturePayee7WaLLetAddrEssXYZa234', 'TRX'],
    ['0x0000000000000000000000000000000000000000', undefined],
    ['0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE', undefined],
    ['ThisIsAnOrdinaryIdentifierOfLength', undefined],
    ['sha512-abcdefghijkmnopqrstuvwxyzABCDEFGH', undefined],
    ['123456789abcdefghjkmnpqrstuvwxyz', undefined],
  ])('classifies %s as %s', (value, coin) => {
    expect(addressCoin(value)).toBe(coin);
  });

  it('reports regex literals, patterns in strings, and the 1st and 5th address of a coin', () => {
    const addresses = Array.from(
      { length: 6 },
      (_, i) =>
        `'0x${String(i + 1)
          .repeat(2)
          .padStart(40, 'a')}'`,
    );
    const source = [
      'const re = { eth: /0x[a-fA-F0-9]{40}/g, trx: new RegExp("T[1-9A-HJ-NP-Za-km-z]{33}") };',
      `const list = [${addresses.join(', ')}];`,
    ].join('\n');
    expect(shapesIn(source)).toEqual([
      'wallet-address-regex: ETH /0x[a-fA-F0-9]{40}/',
      'wallet-address-regex: TRX T[1-9A-HJ-NP-Za-km-z]{33}',
      `wallet-address: ETH #1: 0x${'a'.repeat(38)}11`,
      `wallet-address: ETH #5: 0x${'a'.repeat(38)}55`,
    ]);
  });
});
