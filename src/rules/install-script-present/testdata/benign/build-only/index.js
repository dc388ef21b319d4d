// Benign twin: a plain library module.
module.exports = (a, b) => a + b;
