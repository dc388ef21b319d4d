// Mimics os-info-checker-es6: a Google Calendar short link carries the next address (defanged .invalid).
const https = require('https');
https.get('https://calendar.app.google.invalid/FIXTURE', (res) => {
  res.on('data', (chunk) => console.log('fixture', chunk.length));
});
