import type { ShapeContext, ShapeDetector } from './shape-detector.js';

/**
 * Crypto-wallet address shapes in code: regular expressions that match addresses of a coin
 * (`/0x[a-fA-F0-9]{40}/`, base58 classes with a coin's prefix and length) and string literals that
 * are addresses. A clipper carries a battery of both: one regex per coin to find the victim's
 * address, and lists of attacker addresses to swap in.
 *
 * Shapes: `wallet-address-regex` (detail: the coin, then the pattern), `wallet-address` (detail:
 * `<coin> #<n>: <address>`, reported for the 1st, 5th, 20th and 100th address of a coin in a file,
 * so a list of hundreds costs four facts).
 */

// Base58 classes are written with the gaps around I, O and l: `A-HJ-NP-Z`.
const BASE58 = String.raw`\[[^\]]*HJ-NP[^\]]*\]`;
const BEFORE = String.raw`(?:^|\\b|\(|\||\?:|[^\w\\])`;

const REGEX_COINS: readonly [string, RegExp][] = [
  ['ETH', /0x\)?\??\[[^\]]{3,24}\]\{(?:\d{1,2},)?40\}/i],
  ['BTC', new RegExp(String.raw`(?<=^|[^a-zA-Z]|\\b)bc1|${BEFORE}(?:\[13\]|\(1\|3\)|[13])${BASE58}\{2[5-7]`)],
  ['TRX', new RegExp(String.raw`(?:\[T\]|${BEFORE}T)${BASE58}\{33\}`)],
  ['LTC', new RegExp(String.raw`(?<=^|[^a-zA-Z]|\\b)ltc1|\[(?=[^\]]*L)[LM3ml]{2,5}\]${BASE58}`)],
  ['BCH', /bitcoincash|\[qp\]\[/i],
  ['SOL', new RegExp(String.raw`${BASE58}\{(?:3[2-9]|4[0-4]),4[3-4]\}`)],
  ['XMR', new RegExp(String.raw`${BASE58}\{9[3-5]\}`)],
];

const B58 = '1-9A-HJ-NP-Za-km-z';
const BECH32 = '02-9ac-hj-np-z';
const ADDRESS_COINS: readonly [string, RegExp][] = [
  ['ETH', /^0x[0-9a-fA-F]{40}$/],
  ['BTC', new RegExp(`^(?:bc1[${BECH32}]{25,87}|[13][${B58}]{25,34})$`)],
  ['TRX', new RegExp(`^T[${B58}]{33}$`)],
  ['LTC', new RegExp(`^(?:ltc1[${BECH32}]{25,87}|[LM][${B58}]{26,33})$`)],
  ['BCH', new RegExp(`^(?:bitcoincash:)?[qp][${BECH32}]{41}$`)],
  ['SOL', new RegExp(`^[${B58}]{43,44}$`)],
];

/** 0x000…0 and 0xeee…e are sentinels (zero address, "native token"), not anyone's wallet. */
const SENTINEL = /^0x(.)\1{39}$/i;
/** Base58 and bech32 addresses mix digits and letters; an identifier or a word does not. */
const mixed = (value: string): boolean => /\d/.test(value) && /[a-zA-Z]/.test(value);
const REPORTED_COUNTS = new Set([1, 5, 20, 100]);

export const regexCoin = (pattern: string): string | undefined => {
  if (pattern.length > 400) return undefined;
  for (const [coin, re] of REGEX_COINS) if (re.test(pattern)) return coin;
  return undefined;
};

export const addressCoin = (value: string): string | undefined => {
  if (value.length < 26 || value.length > 100) return undefined;
  for (const [coin, re] of ADDRESS_COINS) {
    if (!re.test(value)) continue;
    if (coin === 'ETH') return SENTINEL.test(value) ? undefined : coin;
    // Base58 addresses mix both cases; an alphabet or an identifier written in one case is not one.
    const bech32 = coin === 'BCH' || /^(?:bc1|ltc1)/.test(value);
    return mixed(value) && (bech32 || (/[A-Z]/.test(value) && /[a-z]/.test(value))) ? coin : undefined;
  }
  return undefined;
};

/** Addresses seen per coin in the file being walked (the context object lives for one walk). */
const counts = new WeakMap<ShapeContext, Map<string, number>>();

export const walletPatterns: ShapeDetector = {
  shapes: ['wallet-address-regex', 'wallet-address'],
  types: ['Literal'],
  detect(ctx) {
    const { node } = ctx;
    if (node.type !== 'Literal') return;
    const regex = (node as { regex?: { pattern: string } }).regex;
    if (regex) {
      const coin = regexCoin(regex.pattern);
      if (coin) ctx.report('wallet-address-regex', `${coin} /${regex.pattern.slice(0, 80)}/`);
      return;
    }
    if (typeof node.value !== 'string') return;
    const value = node.value;
    // A pattern written as a string, for new RegExp(…).
    if (value.length < 400 && value.includes('{') && value.includes('[')) {
      const coin = regexCoin(value);
      if (coin) ctx.report('wallet-address-regex', `${coin} ${value.slice(0, 80)}`);
      return;
    }
    const coin = addressCoin(value);
    if (!coin) return;
    let seen = counts.get(ctx);
    if (!seen) {
      seen = new Map();
      counts.set(ctx, seen);
    }
    const n = (seen.get(coin) ?? 0) + 1;
    seen.set(coin, n);
    if (REPORTED_COUNTS.has(n)) ctx.report('wallet-address', `${coin} #${n}: ${value}`);
  },
};
