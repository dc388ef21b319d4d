/**
 * Generators for per-run unique credentials in the formats real scanners and real malware
 * recognise, with valid checksums where the format has one. Nothing here does I/O.
 */
import { createHmac, createPublicKey, generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { promisify } from 'node:util';
import {
  ALNUM,
  DIGITS,
  HEX,
  LOWER,
  type Random,
  randomBytes,
  randomIndex,
  randomString,
  UPPER,
} from './random.js';
import { findTelltale } from './telltale.js';

// ── CRC32 and the GitHub/npm checksummed token format ──────────────────────────────────────────

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib). Written out because `zlib.crc32` needs Node ≥ 20.15 and we allow 20.12. */
export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 digits in GitHub's order (0-9, A-Z, a-z). */
export const BASE62 = `${DIGITS}${UPPER}${LOWER}`;

function base62(n: number, width: number): string {
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (github.blog 2021-04-05, adopted by npm 2021-09-23): prefix, 30 random
 * base62 characters, then the CRC32 of those 30 characters in base62, zero-padded to 6.
 */
export function checksummedToken(prefix: string, random: Random): string {
  const body = randomString(random, ALNUM, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

export function hasValidChecksum(token: string): boolean {
  const m = /^(?:npm_|gh[pousr]_)([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  return m !== null && base62(crc32(m[1] as string), 6) === m[2];
}

export const npmToken = (random: Random): string => checksummedToken('npm_', random);
export const githubClassicToken = (random: Random): string => checksummedToken('ghp_', random);

/** Fine-grained PAT: `github_pat_` + 22 + `_` + 59 base62 (its checksum scheme is undocumented). */
export function githubFineGrainedToken(random: Random): string {
  return `github_pat_11${randomString(random, UPPER + DIGITS, 20)}_${randomString(random, ALNUM, 59)}`;
}

// ── AWS ─────────────────────────────────────────────────────────────────────────────────────────

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * `AKIA` + 16 base32 characters. Modern key ids encode the account id: base32-decoded, bits 7–46
 * of the first 6 bytes are the account number and bit 47 is set. We encode one so a tool that
 * decodes the key (some do) sees a coherent account.
 */
export function awsAccessKeyId(random: Random, accountId: string): string {
  const account = BigInt(accountId);
  const head = (1n << 47n) | (account << 7n) | BigInt(randomIndex(random, 128));
  const bytes = new Uint8Array(10);
  for (let i = 0; i < 6; i++) bytes[i] = Number((head >> BigInt(8 * (5 - i))) & 0xffn);
  bytes.set(randomBytes(random, 4), 6);
  return `AKIA${base32Encode(bytes)}`;
}

export function awsAccountIdOf(keyId: string): string {
  const body = keyId.slice(4);
  let head = 0n;
  for (const ch of body.slice(0, 10)) head = (head << 5n) | BigInt(BASE32.indexOf(ch));
  // 10 chars = 50 bits; the first 48 are the 6 bytes.
  head >>= 2n;
  return ((head & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}

export function awsAccountId(random: Random): string {
  return `${1 + randomIndex(random, 9)}${randomString(random, DIGITS, 11)}`;
}

export const awsSecretAccessKey = (random: Random): string => randomString(random, `${ALNUM}+/`, 40);

// ── Google Cloud ────────────────────────────────────────────────────────────────────────────────

export type GcpAuthorizedUser = {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  json: string;
};

export function gcpAuthorizedUser(random: Random, quotaProject: string): GcpAuthorizedUser {
  const clientId = `${1 + randomIndex(random, 9)}${randomString(random, DIGITS, 11)}-${randomString(random, LOWER + DIGITS, 32)}.apps.googleusercontent.com`;
  const clientSecret = `GOCSPX-${randomString(random, `${ALNUM}-_`, 28)}`;
  const refreshToken = `1//0${randomString(random, 'bcdeg', 1)}${randomString(random, `${ALNUM}-_`, 98)}`;
  const json = `${JSON.stringify(
    {
      account: '',
      client_id: clientId,
      client_secret: clientSecret,
      quota_project_id: quotaProject,
      refresh_token: refreshToken,
      type: 'authorized_user',
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  )}\n`;
  return { clientId, clientSecret, refreshToken, json };
}

// ── Docker, Slack, Stripe ───────────────────────────────────────────────────────────────────────

export const dockerHubToken = (random: Random): string =>
  `dckr_pat_${randomString(random, `${ALNUM}-_`, 27)}`;

/** `~/.docker/config.json` as the docker CLI writes it (tab-indented). */
export function dockerConfig(auths: Array<{ registry: string; user: string; secret: string }>): string {
  const entries: Record<string, { auth: string }> = {};
  for (const a of auths)
    entries[a.registry] = { auth: Buffer.from(`${a.user}:${a.secret}`).toString('base64') };
  return `${JSON.stringify({ auths: entries }, null, '\t')}\n`;
}

export function slackWebhookUrl(random: Random): string {
  const team = `T0${randomString(random, UPPER + DIGITS, 8)}`;
  const bot = `B0${randomString(random, UPPER + DIGITS, 9)}`;
  return `https://hooks.slack.com/services/${team}/${bot}/${randomString(random, ALNUM, 24)}`;
}

export const stripeSecretKey = (random: Random): string => `sk_live_51${randomString(random, ALNUM, 97)}`;

// ── SSH ─────────────────────────────────────────────────────────────────────────────────────────

function sshString(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  return sshString((trimmed[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export type SshKeyPair = {
  /** PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`). */
  privateKey: string;
  /** OpenSSH `ssh-rsa AAAA… comment` line. */
  publicKey: string;
  /** A 48-character slice of one line of the PEM body: distinctive, and whole in the raw file. */
  marker: string;
};

const RSA_OPTIONS = {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
} as const;

/** A real RSA-2048 key pair (not seedable). Regenerated until no tell-tale appears in it. */
export function sshKeyPair(comment: string): SshKeyPair {
  for (;;) {
    const pair = sshPairFrom(generateKeyPairSync('rsa', RSA_OPTIONS).privateKey, comment);
    if (pair) return pair;
  }
}

const generateRsa = promisify(generateKeyPair);

/** `sshKeyPair` off the main thread: the two runs' keys are made in parallel with the rest of their setup. */
export async function sshKeyPairAsync(comment: string): Promise<SshKeyPair> {
  for (;;) {
    const pair = sshPairFrom((await generateRsa('rsa', RSA_OPTIONS)).privateKey, comment);
    if (pair) return pair;
  }
}

function sshPairFrom(privateKey: string, comment: string): SshKeyPair | undefined {
  {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const blob = Buffer.concat([
      sshString('ssh-rsa'),
      sshMpint(Buffer.from(jwk.e as string, 'base64url')),
      sshMpint(Buffer.from(jwk.n as string, 'base64url')),
    ]);
    const publicKey = `ssh-rsa ${blob.toString('base64')} ${comment}`;
    const marker = privateKey.split('\n')[6]?.slice(8, 56) ?? '';
    if (marker.length === 48 && !findTelltale(privateKey) && !findTelltale(publicKey)) {
      return { privateKey, publicKey, marker };
    }
  }
  return undefined;
}

/** The OpenSSH `ssh-ed25519 AAAA…` form of a fresh Ed25519 public key (for known_hosts). */
export function sshEd25519HostKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return `ssh-ed25519 ${Buffer.concat([sshString('ssh-ed25519'), sshString(raw)]).toString('base64')}`;
}

/** GitHub's published Ed25519 host key, as in every developer's known_hosts. */
export const GITHUB_HOST_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

/** A hashed known_hosts entry (`HashKnownHosts yes` is Debian's default): `|1|salt|hmac key`. */
export function hashedKnownHost(random: Random, host: string, key: string): string {
  const salt = Buffer.from(randomBytes(random, 20));
  const hash = createHmac('sha1', salt).update(host).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')} ${key}`;
}

// ── Small helpers for plausible values ──────────────────────────────────────────────────────────

export const hexString = (random: Random, length: number): string => randomString(random, HEX, length);

export function uuid(random: Random): string {
  const h = hexString(random, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[randomIndex(random, 4)] as string;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin-alphabet base58, the form wallets show and import a Solana secret key in. */
export function base58Encode(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
