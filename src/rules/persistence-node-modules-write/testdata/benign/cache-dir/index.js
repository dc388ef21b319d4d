// A loader that caches transformed files under node_modules/.cache, the conventional place.
const fs = require('fs');
module.exports = (key, text) => {
  fs.writeFileSync(`node_modules/.cache/fixture-cache-writer/${key}.json`, text);
  fs.writeFileSync('node_modules/fixture-cache-writer/last-run.txt', String(Date.now()));
};
