// Loads the unpacked prebuilt library's JS binding.
module.exports = require('./prebuilt/binding.js');
