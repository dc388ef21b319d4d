// Mimics the eslint-config-prettier 8.10.1 install.js (Jul 2025, catalog §3.29): run a shipped DLL with rundll32. Defanged: the DLL name is a placeholder and the command is echoed.
const { execSync } = require('child_process');
const path = require('path');
if (process.platform === 'win32') {
  execSync('echo fixture rundll32 node-gyp.dll,main');
}
const dll = path.join(__dirname, 'node-gyp.dll');
console.log(`fixture: would run rundll32 ${dll},main`);
