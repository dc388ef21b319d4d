const { spawn } = require('child_process');
const fs = require('fs');
const role = process.argv[2] || 'parent';
if (role === 'parent') {
  for (let i = 0; i < Number(process.env.N || 30); i++) spawn(process.execPath, [__filename, `child-${i}`], { stdio: 'ignore' });
} else {
  fs.readFile(`/tmp/mark-${role}`, () => {
    spawn('/bin/sh', ['-c', `cat /tmp/mark-${role}-g 2>/dev/null; true`], { stdio: 'ignore' });
  });
}
