// Benign twin: a CLI reads its own API token from the macOS keychain.
const { execFileSync } = require('child_process');
module.exports = () =>
  execFileSync('security', ['find-generic-password', '-s', 'fixture-cli', '-w']).toString().trim();
