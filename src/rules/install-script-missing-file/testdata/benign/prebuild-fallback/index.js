// Loads the prebuilt or locally built addon.
module.exports = require('node-gyp-build')(__dirname);
