// Install hook of the self-deleting fixture. Defanged: the "payload" is a log line.
const fs = require('fs');
const path = require('path');
console.log('fixture: payload would run here');
fs.unlinkSync(__filename);
fs.renameSync(path.join(__dirname, 'package.md'), path.join(__dirname, 'package.json'));
