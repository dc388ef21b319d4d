// Benign twin: a browser launcher that finds Chrome's user-data folder and reads its Preferences file.
const fs = require('fs');
const path = require('path');
const os = require('os');
const profileDir = path.join(os.homedir(), 'AppData/Local/Google/Chrome/User Data');
module.exports = () => JSON.parse(fs.readFileSync(path.join(profileDir, 'Default', 'Preferences'), 'utf8'));
