// A release helper: writes the bumped version to the project's package.json and removes its lock file.
const fs = require('fs');
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
manifest.version = process.argv[2];
fs.writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
fs.unlinkSync('.release.lock');
