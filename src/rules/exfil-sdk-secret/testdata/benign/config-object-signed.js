// Benign twin of seed-config-object.js: the wallet keeps its private key, builds the request
// options in a local const and sends only the address and a signature made locally.
const crypto = require('crypto');
class Wallet {
  constructor(address, privateKey) {
    this.address = address;
    this.privateKey = privateKey;
  }
  register(apiUrl) {
    const signature = crypto.createHmac('sha256', this.privateKey).update(this.address).digest('hex');
    const config = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: this.address, signature }),
    };
    return fetch(apiUrl, config);
  }
}
module.exports = { Wallet };
