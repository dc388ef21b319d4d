// Benign twin: a CLI that reads ~/.zshrc to find out which shell the user has; it writes nothing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const rc = path.join(os.homedir(), '.zshrc');
console.log(fs.existsSync(rc) ? fs.readFileSync(rc, 'utf8').includes('oh-my-zsh') : false);
