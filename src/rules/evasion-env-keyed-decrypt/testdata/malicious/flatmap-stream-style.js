// Mimics flatmap-stream (event-stream, 2018, catalog §3.18): decrypt a payload with the consumer's npm_package_description and compile it. Defanged: the blob is random hex, the key never matches.
const crypto = require('crypto');
const payload =
  'a4c123b1612dd272d1371c17149d439536b3216fdaeeb975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f58904dba41ecccc3fc1626e53a13043b026c48bbf33fe';
const key = process.env.npm_package_description;
try {
  const decipher = crypto.createDecipher('aes256', key);
  const code = decipher.update(payload, 'hex', 'utf8') + decipher.final('utf8');
  const m = new module.constructor();
  m._compile(code, 'fixture.js');
} catch (e) {
  console.log('fixture: not the targeted project');
}
