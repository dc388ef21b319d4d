// Benign twin: a client sending fixed identification headers and a user-agent built from its version.
const pkg = { version: '1.0.0' };
module.exports = (url) =>
  fetch(url, { headers: { 'User-Agent': `client/${pkg.version}`, 'X-Client': 'fixture', 'CF-Access-Client-Id': 'static' } });
