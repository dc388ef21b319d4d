// Locks in the false positive of husky-style hook installers: write a git hook into the project and make it executable.
const fs = require('fs');
const path = require('path');
const hook = path.join('.husky', '_', 'pre-commit');
fs.mkdirSync(path.dirname(hook), { recursive: true });
fs.writeFileSync(hook, '#!/usr/bin/env sh\nnpx lint-staged\n');
fs.chmodSync(hook, 0o755);
