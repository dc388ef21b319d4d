/**
 * The run's own certificate authority, so the sinkhole can terminate TLS and see what a package
 * sends over HTTPS. The CA looks like a corporate TLS-inspection root (a package that checks the
 * issuer sees what it would see behind a company proxy); leaves are issued per server name.
 *
 * node-forge builds the certificates (Node's crypto cannot); the RSA signatures and key pairs are
 * made by Node's crypto, which is many times faster than forge's JavaScript RSA.
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  randomInt,
} from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

export type PemPair = { certPem: string; keyPem: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Invented names: nothing that reads like a lab, a sample or a product of ours. */
export const CA_COMPANIES = [
  'Halvorsen Group',
  'Meridian Freight',
  'Corvell Systems',
  'Brightwater Analytics',
  'Ostrander Holdings',
  'Kestrel Dynamics',
  'Pellham Financial',
  'Tamsin Medical',
  'Varro Industries',
  'Lindqvist Partners',
] as const;

const { pki } = forge;
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
const PRINTABLE = forge.asn1.Type.PRINTABLESTRING as unknown as forge.asn1.Class;
/** DER of DigestInfo { sha256, NULL } up to the digest itself (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const generateRsa = promisify(generateKeyPair);
const rsaKeyPair = () => generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });

/** 16 random bytes, first bit clear: a positive serial like the ones real CAs issue. */
const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
};

const forgePublicKey = (key: KeyObject): forge.pki.PublicKey =>
  pki.publicKeyFromPem(key.export({ type: 'spki', format: 'pem' }).toString());

/** Signs as forge's RSA key would (PKCS #1 v1.5, SHA-256), with Node's native RSA. */
const signWith = (cert: forge.pki.Certificate, key: KeyObject): void => {
  const signer = {
    sign: (md: forge.md.MessageDigest): string => {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, digest]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
};

const toPem = (cert: forge.pki.Certificate): string => pki.certificateToPem(cert).replace(/\r\n/g, '\n');

/**
 * A self-signed root: RSA 2048 and SHA-256 like the common inspection products' roots,
 * `CN=<Company> Root CA <year>, O=<Company>, C=US`, valid from about two years ago to about eight
 * years ahead.
 */
export const createRunCa = async (options: { company?: string; now?: Date } = {}): Promise<PemPair> => {
  const now = options.now ?? new Date();
  const company = options.company ?? CA_COMPANIES[randomInt(CA_COMPANIES.length)]!;
  const { publicKey, privateKey } = await rsaKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = forgePublicKey(publicKey);
  cert.serialNumber = serialNumber();
  // A few days' jitter so two runs' roots do not share exact dates.
  cert.validity.notBefore = new Date(now.getTime() - (730 + randomInt(60)) * DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + (2920 + randomInt(60)) * DAY_MS);
  const name: forge.pki.CertificateField[] = [
    { name: 'countryName', value: 'US', valueTagClass: PRINTABLE },
    { name: 'organizationName', value: company, valueTagClass: UTF8 },
    {
      name: 'commonName',
      value: `${company} Root CA ${cert.validity.notBefore.getUTCFullYear()}`,
      valueTagClass: UTF8,
    },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWith(cert, privateKey);
  return { certPem: toPem(cert), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
};

/** Names are case-insensitive and may carry the root's dot; IPv6 literals may come bracketed. */
export const normaliseServerName = (name: string): string => {
  const lower = name.trim().toLowerCase();
  const unbracketed = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
};

/** An IP literal's bytes in network order (forge's own parser mishandles `::ffff:1.2.3.4`). */
export const ipBytes = (ip: string): Buffer => {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  let text = ip.replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const out = Buffer.alloc(16);
  for (const [i, group] of [...left, ...zeros, ...right].entries())
    out.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  return out;
};

export type LeafIssuer = (hostname: string) => Promise<PemPair>;

/**
 * Issues a leaf for a server name (DNS name or IP literal), signed by the CA (an RSA key). Leaves
 * share one RSA 2048 key and are cached per name (at most `maxCached`, the oldest dropped first).
 */
export const createLeafIssuer = (
  ca: PemPair,
  options: { maxCached?: number; now?: () => Date } = {},
): LeafIssuer => {
  const maxCached = options.maxCached ?? 1024;
  const now = options.now ?? (() => new Date());
  const caKey = createPrivateKey(ca.keyPem);
  if (caKey.asymmetricKeyType !== 'rsa')
    throw new Error(`the CA key must be RSA, not ${caKey.asymmetricKeyType ?? 'unknown'}`);
  const caCert = pki.certificateFromPem(ca.certPem);
  if (!createPublicKey(caKey).equals(createPublicKey(ca.certPem)))
    throw new Error('the CA key does not belong to the CA certificate');
  const caKeyId =
    (caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined)
      ?.subjectKeyIdentifier ?? caCert.generateSubjectKeyIdentifier().toHex();
  // Started at once: the first connection should not wait for key generation on top of signing.
  const leafKey = rsaKeyPair().then(({ publicKey, privateKey }) => ({
    publicKey: forgePublicKey(publicKey),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }));
  leafKey.catch(() => {});
  const cache = new Map<string, Promise<PemPair>>();

  const issue = async (name: string): Promise<PemPair> => {
    const { publicKey, keyPem } = await leafKey;
    const at = now().getTime();
    const ip = isIP(name) !== 0;
    const cert = pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serialNumber();
    cert.validity.notBefore = new Date(at - DAY_MS);
    cert.validity.notAfter = new Date(Math.min(at + 397 * DAY_MS, caCert.validity.notAfter.getTime()));
    // RFC 5280 bounds a common name at 64 characters; the SAN is what clients check anyway.
    cert.setSubject(name.length <= 64 ? [{ name: 'commonName', value: name, valueTagClass: UTF8 }] : []);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [ip ? { type: 7, value: ipBytes(name).toString('binary') } : { type: 2, value: name }],
      },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(caKeyId) },
    ]);
    signWith(cert, caKey);
    return { certPem: toPem(cert), keyPem };
  };

  return (hostname: string) => {
    const name = normaliseServerName(hostname);
    const cached = cache.get(name);
    if (cached) return cached;
    const issued = issue(name);
    cache.set(name, issued);
    issued.catch(() => {
      if (cache.get(name) === issued) cache.delete(name);
    });
    if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
    return issued;
  };
};
