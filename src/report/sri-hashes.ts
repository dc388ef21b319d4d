/** CycloneDX hashes from an SRI `integrity` string (`sha512-<base64> sha1-<base64>`). */

export type CdxHash = { alg: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'; content: string };

const ALGORITHMS = new Map<string, { alg: CdxHash['alg']; bytes: number }>([
  ['sha1', { alg: 'SHA-1', bytes: 20 }],
  ['sha256', { alg: 'SHA-256', bytes: 32 }],
  ['sha384', { alg: 'SHA-384', bytes: 48 }],
  ['sha512', { alg: 'SHA-512', bytes: 64 }],
]);

/** Well-formed entries only; anything malformed (wrong length, bad base64, unknown algorithm) is dropped. */
export const sriToHashes = (integrity: string | undefined): CdxHash[] => {
  if (!integrity) return [];
  const hashes: CdxHash[] = [];
  const seen = new Set<string>();
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (!match) continue;
    const spec = ALGORITHMS.get(match[1]!)!;
    const bytes = Buffer.from(match[2]!, 'base64');
    if (bytes.length !== spec.bytes) continue;
    const content = bytes.toString('hex');
    if (seen.has(spec.alg)) continue;
    seen.add(spec.alg);
    hashes.push({ alg: spec.alg, content });
  }
  return hashes;
};
