/** Media type of npm's abbreviated ("corgi") install document. */
export const ABBREVIATED_MEDIA_TYPE = 'application/vnd.npm.install-v1+json';
export const FULL_MEDIA_TYPE = 'application/json';

export type DocumentForm = 'abbreviated' | 'full';

type MediaRange = { type: string; subtype: string; q: number };

/**
 * Picks the packument form for an `Accept` header. Never fails: a missing, empty, malformed or
 * unsatisfiable header gets the full JSON document, which every client can read (the registry
 * does the same; an old proxy's 406 broke Bun). Quality values are honoured; at equal quality
 * an explicitly named type beats a wildcard, and the abbreviated form wins an exact tie because
 * clients that name it (npm, pnpm, Yarn classic, Bun) want it.
 */
export const negotiateDocumentForm = (accept: string | readonly string[] | undefined): DocumentForm => {
  const header = Array.isArray(accept) ? accept.join(',') : (accept as string | undefined);
  if (header === undefined || header.trim() === '') return 'full';
  const ranges = parseAccept(header);
  const abbreviated = qualityFor(ranges, 'application', 'vnd.npm.install-v1+json');
  const full = qualityFor(ranges, 'application', 'json');
  if (abbreviated.q <= 0) return 'full';
  if (abbreviated.q > full.q) return 'abbreviated';
  if (abbreviated.q < full.q) return 'full';
  // Same quality: the more specific mention wins; a wildcard tie goes to the default (full).
  if (abbreviated.specificity > full.specificity) return 'abbreviated';
  if (abbreviated.specificity < full.specificity) return 'full';
  return abbreviated.specificity === 2 ? 'abbreviated' : 'full';
};

export const contentTypeFor = (form: DocumentForm): string =>
  form === 'abbreviated' ? `${ABBREVIATED_MEDIA_TYPE}; charset=utf-8` : `${FULL_MEDIA_TYPE}; charset=utf-8`;

/** Most-specific matching range decides (RFC 9110 §12.5.1); specificity 2 exact, 1 `type/*`, 0 `*\/*`. */
const qualityFor = (
  ranges: MediaRange[],
  type: string,
  subtype: string,
): { q: number; specificity: number } => {
  let best: { q: number; specificity: number } = { q: 0, specificity: -1 };
  for (const range of ranges) {
    let specificity: number;
    if (range.type === type && range.subtype === subtype) specificity = 2;
    else if (range.type === type && range.subtype === '*') specificity = 1;
    else if (range.type === '*' && range.subtype === '*') specificity = 0;
    else continue;
    if (specificity > best.specificity) best = { q: range.q, specificity };
  }
  return best.specificity < 0 ? { q: 0, specificity: -1 } : best;
};

const MAX_RANGES = 64;

const parseAccept = (header: string): MediaRange[] => {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',').slice(0, MAX_RANGES)) {
    const [mediaType, ...params] = part.split(';');
    const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\/([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*$/.exec(
      mediaType ?? '',
    );
    if (!match) continue;
    let q = 1;
    for (const param of params) {
      const qMatch = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (qMatch) {
        const value = Number(qMatch[1]);
        q = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
      }
    }
    const type = match[1]!.toLowerCase();
    const subtype = match[2]!.toLowerCase();
    if (type === '*' && subtype !== '*') continue;
    ranges.push({ type, subtype, q });
  }
  return ranges;
};
