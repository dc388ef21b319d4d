import { baseDomain } from '../report/honeytokens.js';
import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { who } from './queries.js';

/** Shannon entropy in bits per character. */
export const entropy = (text: string): number => {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
};

const LONG_LABEL = 30;
/** Hex, base32 or base64url text: letters and digits mixed, no vowel-rich words. */
const encodedLooking = (label: string): boolean =>
  label.length >= 12 &&
  !wordy(label) &&
  /^[a-z0-9_-]+$/i.test(label) &&
  /\d/.test(label) &&
  /[a-z]/i.test(label) &&
  entropy(label) >= 3;

/** Mostly readable words joined by hyphens (`my-service-name-1234`): a long but honest host label. */
const wordy = (label: string): boolean => {
  const parts = label.split('-').filter((part) => part !== '');
  return parts.length >= 3 && parts.filter((part) => /^[a-z]+$/i.test(part)).length * 2 > parts.length;
};

/** Hex, or base32/base64 text: enough digits mixed in, high entropy, not words. */
const dataLike = (label: string): boolean => {
  if (label.length < LONG_LABEL || wordy(label)) return false;
  if (/^[0-9a-f]+$/i.test(label)) return entropy(label) >= 2.5;
  const digits = label.replace(/\D/g, '').length;
  return /^[a-z0-9+_=-]+$/i.test(label) && digits / label.length >= 0.1 && entropy(label) >= 3.5;
};

/** Why a name looks like data in disguise, or undefined. */
export const exfiltrationShape = (name: string): string | undefined => {
  const labels = name.replace(/\.$/, '').split('.');
  const data = labels.slice(0, -2);
  const long = data.find(dataLike);
  if (long) return `a ${long.length}-character high-entropy label`;
  const encoded = data.filter(encodedLooking);
  if (encoded.length >= 4) return `${encoded.length} encoded-looking labels`;
  return undefined;
};

/** Shaped queries under one domain at least this often look like a tunnel, not a CDN's hashed host. */
const TUNNEL_QUERIES = 3;

export const dnsExfiltrationShape = defineSandboxRule({
  id: 'sandbox-dns-exfiltration-shape',
  kind: 'threat',
  severity: 'high',
  confidence: 'medium',
  description: 'DNS query names carrying data: long high-entropy labels or several encoded-looking labels',
  detect({ report }, found) {
    const byDomain = new Map<string, { names: string[]; why: string; hardCoded: boolean; actor?: Actor }>();
    for (const query of report.dns) {
      const why = exfiltrationShape(query.name);
      if (!why) continue;
      const domain = `${query.actor?.run ?? ''}\0${baseDomain(query.name)}`;
      const entry = byDomain.get(domain) ?? { names: [], why, hardCoded: false };
      if (!entry.names.includes(query.name)) entry.names.push(query.name);
      entry.hardCoded ||= query.hardCodedResolver;
      entry.actor ??= query.actor;
      byDomain.set(domain, entry);
    }
    for (const [key, entry] of byDomain) {
      const domain = key.split('\0')[1] ?? '';
      const tunnel = entry.hardCoded || entry.names.length >= TUNNEL_QUERIES;
      found({
        message: `${who(entry.actor)} sent ${entry.names.length} DNS quer${entry.names.length === 1 ? 'y' : 'ies'} under ${domain} shaped like data (${entry.why})${entry.hardCoded ? ' to a hard-coded resolver' : ''}`,
        evidence: entry.names.map((name) => `query ${name}`),
        ...(entry.actor ? { actor: entry.actor } : {}),
        ...(tunnel ? { confidence: 'high' as const } : {}),
      });
    }
  },
});
