// Locks in the false positive of npm-run-path: the project's node_modules/.bin goes in front of PATH so local tools run.
const path = require('path');
const local = path.join(process.cwd(), 'node_modules', '.bin');
process.env.PATH = local + path.delimiter + process.env.PATH;
process.env.PATH = process.env.PATH + path.delimiter + '/opt/fixture/bin';
