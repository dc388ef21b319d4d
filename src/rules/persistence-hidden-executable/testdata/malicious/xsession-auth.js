// Mimics @0xengine/xmlrpc's miner install (catalog §3.22, §4.22): the shipped miner is copied under an innocent name into ~/.local/bin and made executable. Defanged: the "miner" is this package's README and nothing is started.
const fs = require('fs');
const os = require('os');
const path = require('path');
const target = path.join(os.homedir(), '.local', 'bin', 'xsession.auth');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(__dirname, 'README.md'), target);
fs.chmodSync(target, 0o755);
console.log('fixture: would start', target);
