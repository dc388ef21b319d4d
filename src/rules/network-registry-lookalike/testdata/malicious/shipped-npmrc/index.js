// Library half of the look-alike registry sample.
module.exports = {};
