import { createHmac, createPrivateKey } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cryptoRandom, seededRandom } from './random.js';
import {
  awsAccessKeyId,
  awsAccountId,
  awsAccountIdOf,
  awsSecretAccessKey,
  BASE62,
  base32Encode,
  base58Encode,
  checksummedToken,
  crc32,
  dockerConfig,
  dockerHubToken,
  GITHUB_HOST_KEY,
  gcpAuthorizedUser,
  githubClassicToken,
  githubFineGrainedToken,
  hashedKnownHost,
  hasValidChecksum,
  npmToken,
  slackWebhookUrl,
  sshKeyPair,
  stripeSecretKey,
} from './tokens.js';

const random = seededRandom(42);

describe('checksummed tokens', () => {
  it('computes IEEE CRC-32', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    const zcrc = (zlib as unknown as { crc32?: (s: string) => number }).crc32;
    if (zcrc)
      for (let i = 0; i < 50; i++) {
        const s = checksummedToken('', cryptoRandom).slice(0, 30);
        expect(crc32(s)).toBe(zcrc(s));
      }
  });

  it('makes npm and GitHub classic tokens that match scanners and carry a valid checksum', () => {
    for (let i = 0; i < 200; i++) {
      const npm = npmToken(cryptoRandom);
      const ghp = githubClassicToken(cryptoRandom);
      expect(npm).toMatch(/^npm_[A-Za-z0-9]{36}$/);
      expect(ghp).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
      expect(hasValidChecksum(npm)).toBe(true);
      expect(hasValidChecksum(ghp)).toBe(true);
    }
  });

  it('checks the checksum the way public scanners do (crc32 of the 30 body chars, base62, padded)', () => {
    const t = githubClassicToken(random);
    const body = t.slice(4, 34);
    let n = 0;
    for (const ch of t.slice(34)) n = n * 62 + BASE62.indexOf(ch);
    expect(n).toBe(crc32(body));
    const broken = `${t.slice(0, 10)}${t[10] === 'a' ? 'b' : 'a'}${t.slice(11)}`;
    expect(hasValidChecksum(broken)).toBe(false);
  });

  it('makes fine-grained GitHub tokens in the published shape', () => {
    expect(githubFineGrainedToken(random)).toMatch(/^github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}$/);
  });
});

describe('AWS', () => {
  it('makes access key ids that encode their account and are not the documentation key', () => {
    for (let i = 0; i < 100; i++) {
      const account = awsAccountId(cryptoRandom);
      const key = awsAccessKeyId(cryptoRandom, account);
      expect(key).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(key).not.toBe('AKIAIOSFODNN7EXAMPLE');
      expect(account).toMatch(/^[1-9]\d{11}$/);
      expect(awsAccountIdOf(key)).toBe(account);
    }
    expect(awsSecretAccessKey(random)).toMatch(/^[A-Za-z0-9/+]{40}$/);
  });

  it('encodes base58 with the Bitcoin alphabet', () => {
    expect(base58Encode(Buffer.from('hello world'))).toBe('StV1DL6CwTryKyV');
    expect(base58Encode(Uint8Array.from([0, 0, 1]))).toBe('112');
  });

  it('encodes base32 per RFC 4648', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });
});

describe('other credential formats', () => {
  it('writes gcloud application default credentials', () => {
    const g = gcpAuthorizedUser(random, 'billing-api-123456');
    const json = JSON.parse(g.json);
    expect(json.type).toBe('authorized_user');
    expect(json.client_id).toMatch(/^\d{12}-[a-z0-9]{32}\.apps\.googleusercontent\.com$/);
    expect(json.client_secret).toMatch(/^GOCSPX-[A-Za-z0-9_-]{28}$/);
    expect(json.refresh_token).toMatch(/^1\/\/0[A-Za-z0-9_-]{99}$/);
  });

  it('writes docker auths as base64 user:secret', () => {
    const token = dockerHubToken(random);
    expect(token).toMatch(/^dckr_pat_[A-Za-z0-9_-]{27}$/);
    const cfg = JSON.parse(
      dockerConfig([{ registry: 'https://index.docker.io/v1/', user: 'alex', secret: token }]),
    );
    expect(Buffer.from(cfg.auths['https://index.docker.io/v1/'].auth, 'base64').toString()).toBe(
      `alex:${token}`,
    );
  });

  it('makes Slack webhooks and Stripe keys', () => {
    expect(slackWebhookUrl(random)).toMatch(
      /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{9}\/B[A-Z0-9]{10}\/[A-Za-z0-9]{24}$/,
    );
    expect(stripeSecretKey(random)).toMatch(/^sk_live_[A-Za-z0-9]{99}$/);
  });
});

describe('SSH', () => {
  it('makes a real RSA key with a matching OpenSSH public key and a marker from its body', () => {
    const pair = sshKeyPair('alex@alex-thinkpad');
    expect(pair.privateKey.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(pair.privateKey).toContain(pair.marker);
    expect(pair.marker).toMatch(/^[A-Za-z0-9+/]{48}$/);
    const [type, b64, comment] = pair.publicKey.split(' ');
    expect(type).toBe('ssh-rsa');
    expect(comment).toBe('alex@alex-thinkpad');
    const blob = Buffer.from(b64 as string, 'base64');
    const fields: Buffer[] = [];
    for (let off = 0; off < blob.length; ) {
      const len = blob.readUInt32BE(off);
      fields.push(blob.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    expect(fields[0]?.toString()).toBe('ssh-rsa');
    const jwk = createPrivateKey(pair.privateKey).export({ format: 'jwk' });
    const strip = (b: Buffer | undefined) => (b?.[0] === 0 ? b.subarray(1) : b);
    expect(strip(fields[1])?.equals(Buffer.from(jwk.e as string, 'base64url'))).toBe(true);
    expect(strip(fields[2])?.equals(Buffer.from(jwk.n as string, 'base64url'))).toBe(true);
    expect((fields[2]?.[0] ?? 0) & 0x80).toBe(0); // mpint sign bit clear
  });

  it('hashes known_hosts entries the way OpenSSH does', () => {
    const line = hashedKnownHost(random, 'github.com', GITHUB_HOST_KEY);
    const m = /^\|1\|([^|]+)\|(\S+) (ssh-ed25519 \S+)$/.exec(line);
    expect(m).not.toBeNull();
    const mac = createHmac('sha1', Buffer.from(m?.[1] as string, 'base64'))
      .update('github.com')
      .digest('base64');
    expect(mac).toBe(m?.[2]);
  });
});
