// Library entry of the esbuild-style benign sample.
exports.version = '0.20.2';
