// Benign twin: a CLI that packs a dry run and tells the user to publish; it never publishes itself.
const { execSync } = require('child_process');
console.log(execSync('npm pack --dry-run --json').toString().length);
console.log('Done. Review the tarball, then publish it yourself.');
