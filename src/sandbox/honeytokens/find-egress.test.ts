import { describe, expect, it } from 'vitest';
import type { Honeytoken } from '../types.js';
import { findHoneytokenEgress } from './find-egress.js';
import { cryptoRandom, seededRandom } from './random.js';
import {
  awsAccessKeyId,
  awsAccountId,
  awsSecretAccessKey,
  base32Encode,
  githubClassicToken,
  npmToken,
} from './tokens.js';

const random = seededRandom(3);
const tok = (id: string, value: string): Honeytoken => ({ id, kind: 'npm-token', value, files: [], env: [] });
const npm = tok('env-npm-token', npmToken(random));
const ghp = tok('env-github-token', githubClassicToken(random));
const aws = tok('env-aws-access-key', awsAccessKeyId(random, awsAccountId(random)));
const secret = tok('env-aws-secret-key', awsSecretAccessKey(random));
const tokens = [npm, ghp, aws, secret];

const hits = (payload: string | Uint8Array, channel: 'dns' | 'http' | 'tcp' = 'http') =>
  findHoneytokenEgress(tokens, payload, channel, 'collector.invalid')
    .map((e) => `${e.token}:${e.encoding}`)
    .sort();

const envDump = (pad: string) =>
  JSON.stringify({
    HOME: '/home/alex',
    PATH: '/usr/local/bin:/usr/bin:/bin',
    PAD: pad,
    NPM_TOKEN: npm.value,
    LANG: 'C.UTF-8',
  });

describe('findHoneytokenEgress', () => {
  it('finds a raw token in an HTTP body, once per token and encoding', () => {
    const body = `POST /c HTTP/1.1\r\nHost: collector.invalid\r\n\r\n{"t":"${npm.value}","again":"${npm.value}"}`;
    const found = findHoneytokenEgress(tokens, Buffer.from(body), 'http', 'collector.invalid');
    expect(found).toEqual([
      { token: npm.id, encoding: 'raw', channel: 'http', destination: 'collector.invalid' },
    ]);
  });

  it('finds a token inside base64 of a JSON env dump at every alignment', () => {
    for (const pad of ['', 'a', 'ab', 'abc']) {
      const b64 = Buffer.from(envDump(pad)).toString('base64');
      expect(hits(`data=${b64}`), pad).toEqual([`${npm.id}:base64`]);
      const b64url = Buffer.from(envDump(`${pad}??>>`)).toString('base64url');
      expect(hits(`GET /p?d=${b64url} HTTP/1.1`), pad).toContain(`${npm.id}:base64url`);
      // glued to other base64-alphabet text, e.g. a prefix the sender added
      expect(hits(`x${pad}${b64}`), `glued ${pad}`).toEqual([`${npm.id}:base64`]);
    }
  });

  it('finds double base64 and hex of base64', () => {
    const once = Buffer.from(envDump('zz')).toString('base64');
    expect(hits(Buffer.from(once).toString('base64'))).toEqual([`${npm.id}:base64`]);
    expect(hits(Buffer.from(once).toString('hex'))).toContain(`${npm.id}:base64`);
  });

  it('finds hex split across DNS labels, in either case', () => {
    const hex = Buffer.from(`k=${ghp.value}`).toString('hex');
    const labels = hex.match(/.{1,30}/g) as string[];
    expect(hits(`${labels.join('.')}.x1.collector.invalid`, 'dns')).toEqual([`${ghp.id}:hex`]);
    expect(hits(`${labels.join('.').toUpperCase()}.collector.invalid`, 'dns')).toEqual([`${ghp.id}:hex`]);
    expect(hits(`a${labels.join('.')}.collector.invalid`, 'dns')).toEqual([`${ghp.id}:hex`]);
  });

  it('finds base32 in DNS labels, whatever the case and the label split', () => {
    for (const prefix of ['', 'a.', '7f.', 'abcde.']) {
      const b32 = base32Encode(Buffer.from(`${aws.value}:${secret.value}`)).toLowerCase();
      const labels = b32.match(/.{1,50}/g) as string[];
      const found = hits(`${prefix}${labels.join('.')}.collector.invalid`, 'dns');
      expect(found, prefix).toContain(`${aws.id}:base32`);
      expect(found, prefix).toContain(`${secret.id}:base32`);
    }
  });

  it('finds a raw token split over DNS labels, case-folded', () => {
    const v = npm.value;
    expect(hits(`${v.slice(0, 20)}.${v.slice(20)}.collector.invalid`.toLowerCase(), 'dns')).toEqual([
      `${npm.id}:raw`,
    ]);
  });

  it('finds URL-encoded form bodies', () => {
    const form = `token=${encodeURIComponent(`npm:${npm.value}`)}&aws=${encodeURIComponent(secret.value)}`;
    const found = hits(form);
    // the AWS secret has + and / which URL-encode; npm survives raw as well
    expect(found).toContain(`${secret.id}:url`);
    expect(found).toContain(`${npm.id}:raw`);
    const all = [...Buffer.from(`t=${ghp.value}`)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    expect(hits(all)).toEqual([`${ghp.id}:url`]);
  });

  it('finds reversed values', () => {
    expect(hits(`x=${[...ghp.value].reverse().join('')}`)).toEqual([`${ghp.id}:reversed`]);
    const inside = Buffer.from(`{"k":"${[...aws.value].reverse().join('')}"}`).toString('base64');
    expect(hits(inside)).toContain(`${aws.id}:reversed`);
  });

  it('finds nothing in unrelated data', () => {
    const other = [npmToken(cryptoRandom), githubClassicToken(cryptoRandom)].join(',');
    const junk = Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919 + 13) % 256));
    expect(hits(junk)).toEqual([]);
    expect(hits(Buffer.from(other).toString('base64'))).toEqual([]);
    expect(hits(Buffer.from(other).toString('hex'))).toEqual([]);
    expect(hits(`${base32Encode(Buffer.from(other))}.collector.invalid`, 'dns')).toEqual([]);
    expect(hits(`${npm.value.slice(0, 30)} ${ghp.value.slice(5)}`)).toEqual([]);
    expect(findHoneytokenEgress([], 'anything', 'tcp', 'x')).toEqual([]);
  });

  it('handles 64 KiB payloads against 20 tokens quickly', () => {
    const many = Array.from({ length: 20 }, (_, i) => tok(`t${i}`, githubClassicToken(cryptoRandom)));
    const blob = Buffer.from(Array.from({ length: 48 * 1024 }, () => Math.floor(Math.random() * 256)));
    const b64 = `${blob.toString('base64')}${Buffer.from(`X${many[19]?.value}`).toString('base64')}`.slice(
      0,
      64 * 1024 + 80,
    );
    const start = performance.now();
    const found = findHoneytokenEgress(many, b64, 'http', 'h');
    const hexPayload = Buffer.from(blob.subarray(0, 32 * 1024)).toString('hex');
    findHoneytokenEgress(many, hexPayload, 'dns', 'h');
    const ms = performance.now() - start;
    expect(found.map((f) => f.token)).toEqual(['t19']);
    expect(ms).toBeLessThan(1500);
  });
});

describe('findHoneytokenEgress: compressed archives', () => {
  it('finds a token in a gzip archive sent as base64 (the xmlrpc stealer uploads one)', async () => {
    const { gzipSync } = await import('node:zlib');
    const token = {
      id: 'ssh-key',
      kind: 'ssh-private-key' as const,
      value: 'MIIEowIBAAKCAQEAq8Zr0vXWm1c6pQ3TnYfBhL2uKxJ9sDaE4RgV7tNw',
      files: [],
      env: [],
    };
    const archive = gzipSync(
      Buffer.from(`-----BEGIN RSA PRIVATE KEY-----\n${token.value}\n...\nls -la\ncd ~/work\n`),
    );
    const body = JSON.stringify({ name: 'backup.tar.gz', data: archive.toString('base64') });
    const hits = findHoneytokenEgress([token], body, 'http', 'upload.file-drop.invalid');
    expect(hits).toContainEqual({
      token: 'ssh-key',
      encoding: 'gzip',
      channel: 'http',
      destination: 'upload.file-drop.invalid',
    });
    expect(
      findHoneytokenEgress([token], gzipSync(Buffer.from('nothing here')).toString('base64'), 'http', 'x'),
    ).toEqual([]);
  });
});
