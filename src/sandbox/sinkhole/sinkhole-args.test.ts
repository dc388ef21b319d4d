import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSinkholeArgs, readCa } from './sinkhole-args.js';

const dir = mkdtempSync(join(tmpdir(), 'sinkhole-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSinkholeArgs', () => {
  it('reads ports and the CA files', () => {
    expect(parseSinkholeArgs([])).toEqual({ dnsPort: 0, tcpPort: 0, udpPort: 0 });
    expect(
      parseSinkholeArgs([
        '--tcp-port',
        '8443',
        '--ca-cert',
        '/run/ca.pem',
        '--dns-port',
        '53',
        '--ca-key',
        '/run/k.pem',
      ]),
    ).toEqual({ dnsPort: 53, tcpPort: 8443, udpPort: 0, caCert: '/run/ca.pem', caKey: '/run/k.pem' });
  });

  it('rejects unknown flags, bad ports, missing values and half a CA', () => {
    for (const args of [
      ['--port', '1'],
      ['--tcp-port', '70000'],
      ['--tcp-port', ''],
      ['--udp-port'],
      ['--ca-cert'],
      ['--ca-cert', '/run/ca.pem'],
      ['--ca-key', '/run/k.pem'],
      ['__proto__', '1'],
    ])
      expect(() => parseSinkholeArgs(args), args.join(' ')).toThrow(/^sinkhole: /);
  });
});

describe('readCa', () => {
  it('reads both PEM files, or nothing without them', () => {
    const cert = join(dir, 'ca.pem');
    const key = join(dir, 'ca-key.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMII=\n-----END PRIVATE KEY-----\n');
    expect(readCa({ dnsPort: 0, tcpPort: 0, udpPort: 0 })).toBeUndefined();
    expect(readCa({ dnsPort: 0, tcpPort: 0, udpPort: 0, caCert: cert, caKey: key })).toEqual({
      certPem: expect.stringContaining('BEGIN CERTIFICATE'),
      keyPem: expect.stringContaining('BEGIN PRIVATE KEY'),
    });
  });

  it('says which file it cannot read, or which is not the expected PEM', () => {
    const cert = join(dir, 'ca.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n');
    const missing = join(dir, 'nope.pem');
    expect(() => readCa({ dnsPort: 0, tcpPort: 0, udpPort: 0, caCert: cert, caKey: missing })).toThrow(
      `sinkhole: cannot read --ca-key ${missing}: ENOENT`,
    );
    expect(() => readCa({ dnsPort: 0, tcpPort: 0, udpPort: 0, caCert: cert, caKey: cert })).toThrow(
      /--ca-key .* is not a PEM file/,
    );
  });
});
