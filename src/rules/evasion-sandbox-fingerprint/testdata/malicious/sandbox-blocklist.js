// Mimics the 60-package hostname/username sandbox blocklist (catalog §3.19) and an xprintidle idle check. Defanged: only prints.
const os = require('os');
const { exec } = require('child_process');
const BLOCKED = ['WDAGUtilityAccount', 'hmarc', 'patex', 'JOHN-PC', 'DESKTOP-NAKFFMT', 'vboxservice.exe', 'vmtoolsd.exe'];
const me = [os.hostname(), os.userInfo().username];
if (me.some((name) => BLOCKED.includes(name))) {
  console.log('fixture: sandbox, would exit');
}
exec('xprintidle', (err, out) => {
  console.log('fixture: idle for', err ? 'unknown' : out.trim());
});
