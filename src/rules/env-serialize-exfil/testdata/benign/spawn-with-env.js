// Benign twin: a CLI that passes its own environment to a child process and has no network code.
const { spawnSync } = require('child_process');
spawnSync('node', ['--version'], { env: { ...process.env, FORCE_COLOR: '0' }, stdio: 'inherit' });
