// Mimics the @0xengine/xmlrpc / xmrdropper miner guard (catalog §3.19): stop work while a monitor runs. Defanged: only prints.
const { execSync } = require('child_process');
const MONITORS = ['top', 'htop', 'vmstat', 'iostat', 'glances', 'nmon', 'dstat', 'sar'];
function watched() {
  const list = execSync('ps -A -o comm').toString().split('\n');
  return list.some((name) => MONITORS.includes(name.trim()));
}
setInterval(() => {
  console.log(watched() ? 'fixture: would pause' : 'fixture: would resume');
}, 5000);
