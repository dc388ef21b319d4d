// Library half of the encoded-hook sample.
module.exports = {};
