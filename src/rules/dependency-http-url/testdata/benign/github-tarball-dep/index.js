// Benign twin: plain module.
module.exports = {};
