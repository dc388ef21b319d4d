// Benign twin: a tool reading its own project config file, not a credential.
const fs = require('fs');
const path = require('path');
const config = JSON.parse(fs.readFileSync(path.join(process.cwd(), '.fixturerc.json'), 'utf8'));
console.log(config);
