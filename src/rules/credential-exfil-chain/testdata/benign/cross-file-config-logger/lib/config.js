// dotenv-style loader: KEY=value lines from ./.env into an object.
const fs = require('fs');

function load() {
  const text = fs.existsSync('.env') ? fs.readFileSync('.env', 'utf8') : '';
  const values = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return values;
}

module.exports = { load, port: Number(process.env.PORT || 3000) };
