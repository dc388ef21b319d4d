// Benign twin: an SPF checker resolves TXT records and parses them; nothing is executed.
const dns = require('dns');
module.exports = (domain, cb) =>
  dns.resolveTxt(domain, (err, records) => {
    if (err) return cb(err);
    cb(null, records.map((r) => r.join('')).filter((r) => r.startsWith('v=spf1')));
  });
