// placeholder module; the payload is the preinstall hook
module.exports = {};
