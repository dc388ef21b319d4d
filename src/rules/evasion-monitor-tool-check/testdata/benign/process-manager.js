// Locks in the false positive of a process manager (pm2-style) that reads the process list to show its own workers.
const { execSync } = require('child_process');
function workers(name) {
  return execSync('ps -A -o pid,comm')
    .toString()
    .split('\n')
    .filter((line) => line.includes(name));
}
const COLUMNS = ['pid', 'name', 'cpu', 'memory'];
console.log(COLUMNS.join('\t'), workers('node').length);
