// Mimics node-ipc 10.1.1 (peacenotwar, 2022, catalog §3.18): geolocate by IP, and for one country overwrite files. Defanged: the service is .invalid and the overwrite only prints.
const https = require('https');
const fs = require('fs');
https.get('https://api.ipgeolocation.io.invalid/ipgeo?apiKey=FIXTURE', (res) => {
  let body = '';
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    const geo = JSON.parse(body);
    if (geo.country_name === 'Russia' || geo.country_name === 'Belarus') {
      console.log('fixture: would overwrite files');
      fs.writeFileSync('/dev/null', 'fixture');
    }
  });
});
