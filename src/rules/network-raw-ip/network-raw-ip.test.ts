import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, url } from '../rule-test-kit.js';
import { networkRawIp as rule } from './network-raw-ip.js';

const ip = (value: string, port?: number): CodeFact =>
  port === undefined
    ? { kind: 'ip', value, at: at('a.js', 3) }
    : { kind: 'ip', value, port, at: at('a.js', 3) };

describe('network-raw-ip', () => {
  it.each([
    [
      'http://203.0.113.7:1224/uploads',
      'connects to a raw IP: 203.0.113.7:1224 (a database/C2 port used for HTTP)',
    ],
    ['http://198.51.100.20/p', 'connects to a raw IP: 198.51.100.20'],
    ['https://8.8.8.8:8443/x', 'connects to a raw IP: 8.8.8.8:8443'],
  ])('flags the URL %s', (value, message) => {
    expect(rule.run(packageFacts({ code: [url(value, at('a.js', 3))] })).map((f) => f.message)).toEqual([
      message,
    ]);
  });

  it.each([
    'http://127.0.0.1:3000/',
    'http://0.0.0.0:8080',
    'http://10.1.2.3/',
    'http://192.168.1.1/',
    'http://172.20.0.1/',
    'http://169.254.169.254/latest',
    'http://100.64.0.1',
    'https://registry.npmjs.org/',
  ])('ignores %s', (value) => {
    expect(rule.run(packageFacts({ code: [url(value, at('a.js', 3))] }))).toEqual([]);
  });

  it('flags a bare address with a port, or one a network call uses', () => {
    expect(rule.run(packageFacts({ code: [ip('192.0.2.5', 27017)] }))).toHaveLength(1);
    const connect = call('net.connect', 'network', at('a.js', 4), ['192.0.2.5']);
    expect(rule.run(packageFacts({ code: [ip('192.0.2.5'), connect] }))).toHaveLength(1);
  });

  it('ignores a bare address nobody connects to (versions, examples)', () => {
    expect(rule.run(packageFacts({ code: [ip('1.2.3.4')] }))).toEqual([]);
  });

  it('grades an address with a port in a test file low unless a call uses it', () => {
    const listed: CodeFact = { kind: 'ip', value: '192.0.2.1', port: 1, at: at('test/ipv6.test.js', 23) };
    expect(rule.run(packageFacts({ code: [listed] })).map((f) => f.confidence)).toEqual(['low']);
    const connect = call('net.connect', 'network', at('test/ipv6.test.js', 30), ['192.0.2.1']);
    expect(rule.run(packageFacts({ code: [listed, connect] })).map((f) => f.confidence)).toEqual(['medium']);
  });
});
