// Benign twin: `debug`-style code reading DEBUG and a registry client sending a request. The
// variable it reads is not a secret, and what it sends does not come from the environment.
const https = require('https');
const enabled = process.env.DEBUG === 'fixture';
https.get('https://registry.npmjs.org/fixture', (res) => {
  if (enabled) console.log(res.statusCode);
});
