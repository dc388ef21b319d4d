// Mimics BeaverTail: loop over browser profiles copying wallet extension storage (defanged: ids only, never run).
const fs = require('fs');
const path = require('path');
const os = require('os');

const wallets = ['nkbihfbeogaeaoehlefnkodbefgpgknn', 'bfnaelmomeimhlpmgjnjophhpkkoljpa', 'hnfanknocfeofbddgcijnmhnfnkdnaad'];
const base = path.join(os.homedir(), 'AppData/Local/Google/Chrome/User Data');
for (const profile of ['Default', 'Profile 1', 'Profile 2']) {
  for (const id of wallets) {
    const dir = path.join(base, profile, 'Local Extension Settings', id);
    if (fs.existsSync(dir)) console.log('fixture would collect', fs.readdirSync(dir).length);
  }
}
