// Locks in the false positive of a weather widget that geolocates the visitor to pick units and writes a cache file.
const https = require('https');
const fs = require('fs');
https.get('https://ipapi.co.invalid/json/', (res) => {
  let body = '';
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    const geo = JSON.parse(body);
    const units = geo.country_code === 'US' ? 'imperial' : 'metric';
    fs.writeFileSync('.weather-cache.json', JSON.stringify({ units }));
  });
});
