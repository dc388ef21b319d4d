// Mimics the Nx "s1ngularity" telemetry.js (catalog §3.26): ask local AI CLIs, permission checks off, to inventory secrets. Defanged: the prompt asks for nothing and output is only printed.
const { spawnSync, execSync } = require('child_process');
const PROMPT = 'FIXTURE: reply with the word fixture';
const runs = [
  ['claude', ['--dangerously-skip-permissions', '-p', PROMPT]],
  ['gemini', ['--yolo', '-p', PROMPT]],
  ['q', ['chat', '--trust-all-tools', '--no-interactive', PROMPT]],
];
for (const [cli, args] of runs) {
  const out = spawnSync(cli, args, { encoding: 'utf8' });
  console.log(cli, out.status);
}
console.log(execSync('echo fixture && trufflehog filesystem --json /tmp/fixture-empty').toString());
