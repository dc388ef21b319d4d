// Locks in the false positive of diagnostics that print the hostname and user next to a list of supported OS names.
const os = require('os');
const SUPPORTED = ['linux', 'darwin', 'win32', 'freebsd'];
console.log(`${os.userInfo().username}@${os.hostname()}`, SUPPORTED.includes(process.platform));
