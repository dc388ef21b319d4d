import type { CodeFact, Location } from '../../analysis/types.js';
import type { FactOf } from '../fact-queries.js';
import { shapesNamed } from '../fact-queries.js';

export type ShapeFact = FactOf<'shape'>;

export { shapesNamed };

/** What one file holds of a clipper's kit: address regexes per coin, and hard-coded addresses per coin. */
export type WalletKit = {
  regexCoins: Map<string, Location>;
  /** Highest address count reported per coin (the shape reports the 1st, 5th, 20th, 100th). */
  addressCounts: Map<string, number>;
  /** An edit-distance function: picking the look-alike address from a swap list. */
  similarity?: Location;
  first?: Location;
};

/** Test suites of validators hold hundreds of sample addresses; tests are not what the package runs. */
export const isTestFile = (file: string): boolean =>
  /(?:^|\/)(?:test|tests|__tests__|spec|__mocks__|fixtures?)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/.test(file);

export const walletKit = (facts: readonly CodeFact[]): WalletKit => {
  const kit: WalletKit = { regexCoins: new Map(), addressCounts: new Map() };
  if (facts[0] && isTestFile(facts[0].at.file)) return kit;
  kit.similarity = shapesNamed(facts, 'edit-distance')[0]?.at;
  for (const fact of shapesNamed(facts, 'wallet-address-regex', 'wallet-address')) {
    kit.first ??= fact.at;
    const coin = /^[A-Z]+/.exec(fact.detail)?.[0];
    if (coin === undefined) continue;
    if (fact.shape === 'wallet-address-regex') {
      if (!kit.regexCoins.has(coin)) kit.regexCoins.set(coin, fact.at);
    } else {
      const n = Number(/#(\d+)/.exec(fact.detail)?.[1] ?? 1);
      kit.addressCounts.set(coin, Math.max(n, kit.addressCounts.get(coin) ?? 0));
    }
  }
  return kit;
};

export const describeKit = (kit: WalletKit): string => {
  const parts: string[] = [];
  if (kit.regexCoins.size > 0) parts.push(`address regexes for ${[...kit.regexCoins.keys()].join('/')}`);
  if (kit.addressCounts.size > 0)
    parts.push(
      `hard-coded addresses (${[...kit.addressCounts].map(([coin, n]) => `${coin}${n > 1 ? ` ≥${n}` : ''}`).join(', ')})`,
    );
  if (kit.similarity && parts.length > 0) parts.push('an edit-distance function');
  return parts.join(' and ');
};
