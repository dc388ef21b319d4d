'use strict';
// A thin crypto-js look-alike: enough API surface for the name to look used.
const crypto = require('crypto');

const hex = { stringify: (wordArray) => Buffer.from(wordArray.bytes).toString('hex') };
const wrap = (bytes) => ({ bytes, toString: (encoder = hex) => encoder.stringify({ bytes }) });
const digest = (algorithm) => (message) => wrap(crypto.createHash(algorithm).update(String(message)).digest());

module.exports = {
  MD5: digest('md5'),
  SHA1: digest('sha1'),
  SHA256: digest('sha256'),
  SHA512: digest('sha512'),
  HmacSHA256: (message, key) => wrap(crypto.createHmac('sha256', String(key)).update(String(message)).digest()),
  enc: { Hex: hex, Base64: { stringify: (w) => Buffer.from(w.bytes).toString('base64') } },
};
