// Library half of the fetched-stage sample.
module.exports = {};
