// The log formatter of the minor-release benign sample; the new dependency is loaded on demand.
exports.format = (entry) => `${entry.level}: ${entry.message}`;
exports.parseTime = (text) => require('fixture-date-parse')(text);
