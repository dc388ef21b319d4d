const fs = require('fs');
const net = require('net');
const dgram = require('dgram');
const { spawnSync } = require('child_process');
fs.readFile('/tmp/tr/app/data.txt', (err) => {
  if (err) throw err;
  process.chdir('/tmp/tr/app/sub');
  spawnSync(process.execPath, ['-e', "require('fs').readFileSync('rel.txt')"], { stdio: 'ignore' });
  process.chdir('/tmp/tr/app');
  try { fs.unlinkSync('link.txt'); } catch {}
  fs.symlinkSync('data.txt', 'link.txt');
  fs.renameSync('link.txt', 'link2.txt');
  fs.chmodSync('data.txt', 0o640);
  fs.unlinkSync('link2.txt');
  const s = net.connect(1, '127.0.0.1');
  s.on('error', () => {
    const u = dgram.createSocket('udp4');
    u.send(Buffer.from('ping'), 9, '127.0.0.1', () => u.close());
  });
});
