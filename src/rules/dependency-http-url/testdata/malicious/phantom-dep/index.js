// placeholder module; the attack is the dependency specifier
module.exports = {};
