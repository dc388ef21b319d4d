/**
 * Substrings that real malware greps for before it decides to stay quiet (see
 * firewall-runtime-anchors.md §6): none may appear anywhere in what we plant, in any case.
 * Random token bodies can spell one by chance, so generators retry until clean.
 */
export const TELLTALES = [
  'honey',
  'canary',
  'sandbox',
  'fake',
  'test',
  'example',
  'dummy',
  'decoy',
  'bait',
  'AKIAIOSFODNN7EXAMPLE',
] as const;

const PATTERN = new RegExp(TELLTALES.join('|'), 'i');

export function findTelltale(text: string | Uint8Array): string | undefined {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  return PATTERN.exec(s)?.[0];
}
