// Library half of the miner-preinstall sample.
module.exports = {};
