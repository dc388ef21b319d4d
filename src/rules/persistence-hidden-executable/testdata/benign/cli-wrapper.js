// Locks in the false positive of a tool that writes a temp script to /tmp without making it executable, and installs its own bin with chmod.
const fs = require('fs');
const path = require('path');
fs.writeFileSync('/tmp/fixture-report.txt', 'report\n');
const own = path.join(__dirname, 'bin', 'cli.js');
fs.chmodSync(own, 0o755);
