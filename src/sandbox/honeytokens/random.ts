import { randomInt } from 'node:crypto';

/** A source of uniform numbers in [0, 1). Tests pass a seeded one; runs use {@link cryptoRandom}. */
export type Random = () => number;

const RANGE = 2 ** 48 - 1;

export const cryptoRandom: Random = () => randomInt(RANGE) / RANGE;

export const DIGITS = '0123456789';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = `${UPPER}${LOWER}${DIGITS}`;
export const HEX = '0123456789abcdef';

export function randomIndex(random: Random, length: number): number {
  return Math.min(length - 1, Math.floor(random() * length));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomIndex(random, items.length)] as T;
}

export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomIndex(random, alphabet.length)];
  return out;
}

export function randomBytes(random: Random, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = randomIndex(random, 256);
  return out;
}

/** A small deterministic generator (mulberry32) for tests and reproducible plans. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
