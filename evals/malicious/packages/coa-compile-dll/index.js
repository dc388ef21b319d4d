module.exports = require('./lib/coa');
