// Compiled output of the ts-widget benign sample: helpers come from tslib.
const tslib = require('tslib');

exports.merge = (a, b) => tslib.__assign({}, a, b);
