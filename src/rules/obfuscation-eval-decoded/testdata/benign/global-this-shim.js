// Benign twin: the globalThis polyfill runs a constant, and a base64 image is decoded but never run.
const root = new Function('return this')();
const icon = Buffer.from('iVBORw0KGgo=', 'base64');
module.exports = { root, icon };
