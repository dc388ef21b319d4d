// Locks in the false positive of rimraf/del-style cleanups: recursive deletes of the package's own build and cache directories.
const { execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
execSync('rm -rf ./dist ./coverage');
fs.rmSync(path.join(os.homedir(), '.cache', 'fixture-tool'), { recursive: true, force: true });
fs.rmSync(path.join(__dirname, 'tmp'), { recursive: true, force: true });
