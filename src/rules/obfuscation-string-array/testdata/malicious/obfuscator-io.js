// Mimics javascript-obfuscator (obfuscator.io) output as used by @0xengine/xmlrpc and the chalk
// payload (catalog §4.15): a rotated string array and _0x accessors. Defanged: prints 'fixture'.
var _0x4f2a = ['log', 'fixture', 'dummy', 'other'];
(function (_0x1b2c3d, _0x5e6f7a) {
  var _0x2a3b4c = function (_0x3c4d5e) {
    while (--_0x3c4d5e) {
      _0x1b2c3d['push'](_0x1b2c3d['shift']());
    }
  };
  _0x2a3b4c(++_0x5e6f7a);
})(_0x4f2a, 0x1a3);
var _0x3d4e = function (_0x1a2b3c, _0x4d5e6f) {
  _0x1a2b3c = _0x1a2b3c - 0x0;
  var _0x5f6a7b = _0x4f2a[_0x1a2b3c];
  return _0x5f6a7b;
};
console[_0x3d4e('0x0')](_0x3d4e('0x1'));
