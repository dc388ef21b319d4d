// Prints; never sends.
const config = require('./config');

module.exports = (message) => console.log(`[:${config.port}] ${message}`);
