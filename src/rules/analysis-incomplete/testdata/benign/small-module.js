// Twin: an ordinary module read whole.
module.exports = function add(a, b) {
  return a + b;
};
