// Adds two numbers.
module.exports = (a, b) => a + b;
