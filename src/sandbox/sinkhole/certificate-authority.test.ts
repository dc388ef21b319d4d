import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CA_COMPANIES,
  createLeafIssuer,
  createRunCa,
  ipBytes,
  normaliseServerName,
} from './certificate-authority.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TELLS = /sandbox|test|mock|honey|fake|bulwark|example|dummy|sample|acme|contoso|fabrikam|evil|malware/i;

describe('createRunCa', () => {
  it('makes a corporate-looking RSA root, valid from about two years ago to about eight ahead', async () => {
    const now = new Date('2026-11-29T00:00:00Z');
    const ca = await createRunCa({ now });
    const cert = new X509Certificate(ca.certPem);
    const [country, organisation, common] = cert.subject.split('\n');
    expect(country).toBe('C=US');
    const company = organisation?.replace(/^O=/, '') ?? '';
    expect(CA_COMPANIES).toContain(company);
    expect(common).toMatch(new RegExp(`^CN=${company} Root CA 20\\d\\d$`));
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.ca).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.verify(cert.publicKey)).toBe(true);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    expect((now.getTime() - from) / DAY_MS).toBeGreaterThan(700);
    expect((now.getTime() - from) / DAY_MS).toBeLessThan(800);
    expect((to - now.getTime()) / DAY_MS).toBeGreaterThan(2900);
    expect((to - now.getTime()) / DAY_MS).toBeLessThan(3000);
    expect(common).toContain(String(new Date(from).getUTCFullYear()));
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('never names itself after a lab, a sample or us', async () => {
    for (const company of CA_COMPANIES) expect(company, company).not.toMatch(TELLS);
    const cert = new X509Certificate((await createRunCa()).certPem);
    expect(cert.subject).not.toMatch(TELLS);
    expect(cert.issuer).not.toMatch(TELLS);
  });

  it('is a CA by its extensions: basicConstraints CA (critical), keyCertSign', async () => {
    const der = new X509Certificate((await createRunCa({ company: 'Kestrel Dynamics' })).certPem).raw;
    // basicConstraints (2.5.29.19), critical, SEQUENCE { BOOLEAN TRUE }
    expect(der.includes(Buffer.from('0603551d130101ff040530030101ff', 'hex'))).toBe(true);
    // keyUsage (2.5.29.15), critical, BIT STRING with digitalSignature, keyCertSign and cRLSign
    expect(der.includes(Buffer.from('0603551d0f0101ff04040302', 'hex'))).toBe(true);
    expect(der.includes(Buffer.from('0603551d0e', 'hex'))).toBe(true); // subjectKeyIdentifier
  });
});

describe('createLeafIssuer', () => {
  it('issues a server leaf for a name, chained to the CA, valid now', async () => {
    const ca = await createRunCa();
    const caCert = new X509Certificate(ca.certPem);
    const leafPem = await createLeafIssuer(ca)('Upload.File-Drop.invalid.');
    const leaf = new X509Certificate(leafPem.certPem);
    expect(leaf.subject).toBe('CN=upload.file-drop.invalid');
    expect(leaf.issuer).toBe(caCert.subject);
    expect(leaf.subjectAltName).toBe('DNS:upload.file-drop.invalid');
    expect(leaf.checkHost('upload.file-drop.invalid')).toBe('upload.file-drop.invalid');
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node lists the extended key usage: serverAuth
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(leafPem.keyPem))).toBe(true);
    const now = Date.now();
    expect(Date.parse(leaf.validFrom)).toBeLessThan(now);
    expect(Date.parse(leaf.validTo)).toBeGreaterThan(now + 300 * DAY_MS);
  });

  it('certifies IP literals as iPAddress names (IPv4 and IPv6)', async () => {
    const issue = createLeafIssuer(await createRunCa());
    const v4 = new X509Certificate((await issue('203.0.113.7')).certPem);
    expect(v4.subjectAltName).toBe('IP Address:203.0.113.7');
    expect(v4.checkIP('203.0.113.7')).toBe('203.0.113.7');
    const v6 = new X509Certificate((await issue('[2001:DB8::5]')).certPem);
    expect(v6.checkIP('2001:db8::5')).toBe('2001:db8::5');
  });

  it('caches per name (one shared key), bounded, and is fast once warm', async () => {
    const issue = createLeafIssuer(await createRunCa(), { maxCached: 2 });
    const warm = await issue('warm-up.invalid');
    const t0 = performance.now();
    const first = await issue('a.file-drop.invalid');
    const t1 = performance.now();
    const again = await issue('A.file-drop.invalid');
    const t2 = performance.now();
    console.log(`leaf: first issue ${(t1 - t0).toFixed(1)} ms, cached ${(t2 - t1).toFixed(3)} ms`);
    expect(again).toBe(first);
    expect(t1 - t0).toBeLessThan(1000);
    expect(first.keyPem).toBe(warm.keyPem);
    expect(first.certPem).not.toBe(warm.certPem);
    // Two more names push the oldest out: it is issued anew (a different serial).
    await issue('b.file-drop.invalid');
    await issue('c.file-drop.invalid');
    const reissued = await issue('a.file-drop.invalid');
    expect(reissued).not.toBe(first);
    expect(new X509Certificate(reissued.certPem).serialNumber).not.toBe(
      new X509Certificate(first.certPem).serialNumber,
    );
  });

  it('refuses a CA key that is not the certificate’s', async () => {
    const [one, two] = await Promise.all([createRunCa(), createRunCa()]);
    expect(() => createLeafIssuer({ certPem: one.certPem, keyPem: two.keyPem })).toThrow(/does not belong/);
  });
});

describe('helpers', () => {
  it('normalises server names', () => {
    expect(normaliseServerName(' API.Example.invalid. ')).toBe('api.example.invalid');
    expect(normaliseServerName('[::1]')).toBe('::1');
  });

  it('turns IP literals into bytes', () => {
    const hex = (ip: string) => ipBytes(ip).toString('hex');
    expect(hex('192.0.2.33')).toBe('c0000221');
    expect(hex('::1')).toBe('00000000000000000000000000000001');
    expect(hex('::')).toBe('0'.repeat(32));
    expect(hex('2001:db8::')).toBe('20010db8000000000000000000000000');
    expect(hex('fe80::1:2%eth0')).toBe('fe800000000000000000000000010002');
    expect(hex('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
    expect(hex('::ffff:198.51.100.1')).toBe('00000000000000000000ffffc6336401');
    expect(hex('64:ff9b::192.0.2.33')).toBe('0064ff9b0000000000000000c0000221');
  });
});
