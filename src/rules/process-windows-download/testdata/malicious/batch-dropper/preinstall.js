// Starts the platform script, as the ua-parser-js preinstall did; prints on other platforms.
const { execFile } = require('child_process');
if (process.platform === 'win32') execFile('cmd.exe', ['/c', `${__dirname}\\preinstall.bat`], () => {});
else console.log('FIXTURE');
