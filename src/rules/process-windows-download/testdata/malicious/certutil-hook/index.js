// Library half of the certutil-hook sample.
module.exports = {};
