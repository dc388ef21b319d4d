// Benign twin: a release helper that checks `gh auth status` and lists pull requests.
const { execSync } = require('child_process');
console.log(execSync('gh auth status').toString());
console.log(execSync('gh pr list --limit 5').toString());
