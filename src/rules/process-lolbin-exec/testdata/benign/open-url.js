// Locks in the false positive of browser openers (open, opener) that hand a URL to url.dll on Windows.
const { spawn } = require('child_process');
function openUrl(target) {
  if (process.platform === 'win32') return spawn('rundll32', ['url.dll,FileProtocolHandler', target]);
  return spawn('xdg-open', [target]);
}
module.exports = openUrl;
