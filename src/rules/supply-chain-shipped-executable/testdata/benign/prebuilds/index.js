// Loads the prebuilt addon for this platform (node-gyp-build style).
module.exports = require("node-gyp-build")(__dirname);
