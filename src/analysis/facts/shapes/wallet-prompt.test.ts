import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'wallet-prompt' ? [fact.detail] : [],
  );

describe('wallet-prompt shape', () => {
  it.each([
    ["title = 'Connect Wallet to continue';", 'Connect Wallet'],
    ['html = `<p>Enter your 12-word phrase</p>`;', '12-word phrase'],
    ["msg = 'Please type your recovery phrase below';", 'recovery phrase'],
    ["cta = 'Claim your airdrop now';", 'Claim your airdrop'],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each(["label = 'Connect to server';", "help = 'The wallet is empty';", "x = 'phrase';"])(
    'is silent for %s',
    (source) => {
      expect(shapesIn(source)).toEqual([]);
    },
  );
});
