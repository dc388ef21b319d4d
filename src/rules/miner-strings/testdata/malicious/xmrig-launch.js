// Mimics the ua-parser-js / @0xengine/xmlrpc miner stage (catalog §4.22). Defanged: the command
// is printed, never run; the pool host is .invalid and the wallet is a fake Monero-shaped string.
const args = [
  '-o',
  'stratum+tcp://pool.invalid:3333',
  '-u',
  '4FIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTURE',
  '--coin',
  'monero',
  '--donate-level',
  '0',
];
console.log('would run: xmrig ' + args.join(' '));
