// Mimics xmrdropper / CanisterWorm persistence (catalog §4.20): a systemd user unit plus
// `systemctl --user enable`. Defanged: ExecStart is /bin/true, the directory is a temp dir, and
// the command is only printed.
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = path.join(os.tmpdir(), '.config/systemd/user');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'fixture.service'), '[Service]\nExecStart=/bin/true\n');
fs.appendFileSync(path.join(os.tmpdir(), '.bashrc'), '\n# fixture\n');
console.log('would run: systemctl --user enable fixture.service');
