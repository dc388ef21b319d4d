// Loads the addon.
module.exports = require('./build/Release/addon.node');
