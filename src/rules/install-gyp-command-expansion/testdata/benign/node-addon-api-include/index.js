// Loads the addon.
module.exports = require('./build/Release/canvas.node');
