// Library half of the inline-beacon sample.
module.exports = {};
