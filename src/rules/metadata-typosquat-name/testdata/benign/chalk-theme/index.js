// A colour theme over chalk.
const chalk = require('chalk');
module.exports = { title: chalk.bold.blue, warn: chalk.yellow };
