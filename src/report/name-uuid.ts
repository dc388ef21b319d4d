import { createHash } from 'node:crypto';

// A fixed namespace for Bulwark's name-based UUIDs (RFC 4122 version 5).
const NAMESPACE = Buffer.from('6f1c1d2e8b7a4c3e9d5f0a1b2c3d4e5f', 'hex');

/** Deterministic UUID v5 for a name: the same scan renders the same BOM serial number. */
export const nameUuid = (name: string): string => {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
