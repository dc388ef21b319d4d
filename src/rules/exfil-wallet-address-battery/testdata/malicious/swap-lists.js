// Mimics the attacker address lists of the chalk/debug clipper (Sep 2025): swap targets per coin,
// picked by similarity to the victim's address. Defanged: fixture addresses that belong to no one.
const swaps = {
  eth: [
    '0xF1C7000000000000000000000000000000000001',
    '0xF1C7000000000000000000000000000000000002',
    '0xF1C7000000000000000000000000000000000003',
    '0xF1C7000000000000000000000000000000000004',
    '0xF1C7000000000000000000000000000000000005',
  ],
  tron: [
    'TFixture2Fixture3Fixture4Fixture5u',
    'TFixture2Fixture3Fixture4Fixture5v',
    'TFixture2Fixture3Fixture4Fixture5w',
    'TFixture2Fixture3Fixture4Fixture5x',
    'TFixture2Fixture3Fixture4Fixture5y',
  ],
};

function distance(a, b) {
  let d = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) d++;
  return d;
}

function closest(found, coin) {
  return swaps[coin].reduce((best, next) => (distance(found, next) < distance(found, best) ? next : best));
}

module.exports = { closest };
