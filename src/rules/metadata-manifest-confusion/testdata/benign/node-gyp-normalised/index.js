// Loads the compiled addon, as native packages do.
module.exports = require('./build/Release/addon.node');
