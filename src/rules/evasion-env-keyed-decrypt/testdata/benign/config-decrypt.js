// Locks in the false positive of a config loader that decrypts secrets with a key from its own environment variable and logs the package version.
const crypto = require('crypto');
function decrypt(text) {
  const key = Buffer.from(process.env.CONFIG_KEY || '', 'hex');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.alloc(12));
  return decipher.update(text, 'hex', 'utf8');
}
console.log('version', process.env.npm_package_version);
module.exports = decrypt;
