// Install-time script of the eslint-scope-style sample: fetches a page and prints it.
const https = require('https');
https.get('https://paste.fixture.invalid/raw/FIXTURE', (res) => res.on('data', (d) => console.log(String(d))));
