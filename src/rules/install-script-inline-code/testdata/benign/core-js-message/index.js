// The library.
module.exports = {};
