// False positive locked in: an esbuild/puppeteer-style installer that downloads its own checksummed binary, chmods it and runs it attached to check the version.
const https = require('https');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const EXPECTED = 'f'.repeat(64);
const dest = path.join(__dirname, 'bin', 'tool');
https.get('https://registry.npmjs.org/@fixture/tool-linux-x64/-/tool-linux-x64-1.0.0.tgz', (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    if (crypto.createHash('sha256').update(body).digest('hex') !== EXPECTED) throw new Error('checksum mismatch');
    fs.writeFileSync(dest, body);
    fs.chmodSync(dest, 0o755);
    console.log(execFileSync(dest, ['--version']).toString());
  });
});
