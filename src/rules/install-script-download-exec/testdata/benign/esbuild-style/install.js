// Benign twin: fetch a platform binary from the registry, verify its hash, write it. Nothing fetched is executed.
const https = require('https');
const fs = require('fs');
const crypto = require('crypto');
const expected = 'fixture-sha256';
https.get('https://registry.npmjs.org/@fixture/binary-linux-x64/-/binary-linux-x64-1.0.0.tgz', (res) => {
  const chunks = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    const data = Buffer.concat(chunks);
    const hash = crypto.createHash('sha256').update(data).digest('hex');
    if (hash !== expected) throw new Error('checksum mismatch');
    fs.writeFileSync('bin/fixture.tgz', data);
  });
});
