// Mimics the 'is' wave and Shai-Hulud 2.0 load-path tricks (catalog §3.21): code in ~/.node_modules and a hidden PATH dir win over the real ones. Defanged: nothing is planted.
const os = require('os');
const path = require('path');
module.paths.push(path.join(os.homedir(), '.node_modules'));
process.env.PATH = path.join(os.homedir(), '.local', 'Python3127') + path.delimiter + process.env.PATH;
console.log('fixture: load paths extended');
