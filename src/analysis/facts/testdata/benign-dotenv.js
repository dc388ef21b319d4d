// Negative twin: reads .env and the environment, sends nothing anywhere.
const fs = require('fs');
const path = require('path');

function load(dir) {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return {};
  const parsed = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [key, value] = line.split('=');
    if (key && !(key in process.env)) process.env[key] = value;
    parsed[key] = value;
  }
  return parsed;
}

const debug = process.env.DEBUG ? console.error : () => {};
debug('loaded', Object.keys(load(process.cwd())).length);
module.exports = { load };
