import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { credentialsBrowserKey as rule } from './credentials-browser-key.js';

const key = (detail: string, line = 2) => shape('browser-key-access', detail, at('a.js', line));
const loginData = shape('browser-secret-store', 'Login Data', at('a.js', 5));

describe('credentials-browser-key', () => {
  it('grades the Safe Storage key by what sits beside it', () => {
    const alone = rule.run(
      packageFacts({ code: [key('security find-generic-password -wa "Chrome Safe Storage"')] }),
    );
    expect(alone.map((f) => f.confidence)).toEqual(['medium']);
    const withStore = rule.run(packageFacts({ code: [key('Chrome Safe Storage'), loginData] }));
    expect(withStore.map((f) => f.confidence)).toEqual(['high']);
  });

  it('is high for DPAPI with the Local State key', () => {
    const findings = rule.run(packageFacts({ code: [key('os_crypt'), key('CryptUnprotectData', 4)] }));
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
  });

  it('is high for a keychain dump', () => {
    expect(
      rule.run(packageFacts({ code: [key('security dump-keychain -d login.keychain')] }))[0]?.confidence,
    ).toBe('high');
  });

  it('is silent for find-generic-password without a browser key (a CLI reading its own item)', () => {
    expect(rule.run(packageFacts({ code: [key('find-generic-password')] }))).toEqual([]);
  });

  it('is silent without the shape', () => {
    expect(rule.run(packageFacts({ code: [loginData] }))).toEqual([]);
  });
});
