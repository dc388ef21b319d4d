// Middleware that sets a header.
module.exports = () => (req, res, next) => {
  res.setHeader('x-fixture', '1');
  next();
};
