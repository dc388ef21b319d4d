// Mimics @0xengine/xmlrpc and Shai-Hulud credential harvesting (catalog §4.3): several credential
// files under the home directory, one path built from fragments. Defanged: only prints sizes.
const fs = require('fs');
const os = require('os');
const path = require('path');
const home = os.homedir();
const targets = [path.join(home, '.s' + 'sh', 'id_rsa'), path.join(home, '.npmrc'), path.join(home, '.aws/credentials')];
for (const target of targets) {
  try {
    console.log(target, fs.readFileSync(target, 'utf8').length);
  } catch {}
}
