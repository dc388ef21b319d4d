// An early release: returns its argument.
module.exports = (x) => x;
