// Mimics the Shai-Hulud worm's propagation prelude (Sep 2025): validate the stolen token, list the
// victim's packages, add a postinstall, repack and bump each one. Defanged: mock registry on
// loopback, commands that only echo.
const { execSync } = require('child_process');

const REGISTRY = 'http://127.0.0.1:4873';

async function prelude() {
  const user = execSync('npm whoami --registry http://127.0.0.1:4873').toString().trim();
  const res = await fetch(`${REGISTRY}/-/v1/search?text=maintainer:${user}&size=250`);
  const { objects } = await res.json();
  for (const pkg of objects) {
    execSync(`echo fixture ${pkg.package.name}`);
    execSync('npm pack --dry-run');
    const manifest = JSON.parse(require('fs').readFileSync('package/package.json', 'utf8'));
    manifest.scripts.postinstall = 'echo fixture';
    execSync('npm version patch --no-git-tag-version');
  }
}

prelude();
