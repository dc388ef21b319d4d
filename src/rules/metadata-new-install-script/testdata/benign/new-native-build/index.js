// Loader of the gains-addon benign sample: the compiled addon, or plain JS.
let impl;
try {
  impl = require('./build/Release/addon.node');
} catch {
  impl = { sum: (a, b) => a + b };
}
module.exports = impl;
