// Benign twin: a CLI looks for its own config file under the home directory; it sends nothing.
const fs = require('fs');
const path = require('path');
const os = require('os');
module.exports = () => {
  const dir = path.join(os.homedir(), '.config', 'fixture-cli');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  return names.filter((n) => n.endsWith('.json')).map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')));
};
