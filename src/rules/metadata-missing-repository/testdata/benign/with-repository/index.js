// Nothing to see: returns a constant.
module.exports = 42;
