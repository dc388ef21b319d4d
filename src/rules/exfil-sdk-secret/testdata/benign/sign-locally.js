// Benign twin: a wallet SDK signs with the private key locally and sends only the signed transaction.
const crypto = require('crypto');
async function sendTransaction(tx, privateKey, rpcUrl) {
  const signature = crypto.createHmac('sha256', privateKey).update(JSON.stringify(tx)).digest('hex');
  return fetch(rpcUrl, { method: 'POST', body: JSON.stringify({ tx, signature }) });
}
module.exports = { sendTransaction };
