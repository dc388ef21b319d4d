// Locks in the false positive of a tool that opens the user's editor or asks a CLI for its version, with ordinary flags.
const { spawnSync } = require('child_process');
const editor = process.env.EDITOR || 'code';
spawnSync(editor, ['--wait', 'notes.md'], { stdio: 'inherit' });
const version = spawnSync('claude', ['--version'], { encoding: 'utf8' });
console.log(version.stdout);
