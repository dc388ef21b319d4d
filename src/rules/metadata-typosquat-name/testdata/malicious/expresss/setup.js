// Install-time beacon of a typosquat: pings a collector, prints what it would send.
const https = require('https');
https.get('https://beacon.collector.invalid/ping', () => console.log('FIXTURE: beacon sent'));
