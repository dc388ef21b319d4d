// Locks in the false positive of address validators (validator.js isEthereumAddress/isBtcAddress):
// regexes for two coins and a documented example address are not a clipper's kit.
const eth = /^(0x)[0-9a-f]{40}$/i;
const btc = /^(bc1)[a-z0-9]{25,39}$|^(1|3)[A-HJ-NP-Za-km-z1-9]{25,39}$/;
const EXAMPLE = '0x52908400098527886E0F7030069857D2E4169EE7';

module.exports = {
  isEthereumAddress: (value) => eth.test(value),
  isBtcAddress: (value) => btc.test(value),
  EXAMPLE,
};
