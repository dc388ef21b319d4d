// Benign twin: a deploy helper zips its own build folder and uploads it to the user's server.
const archiver = require('archiver');
const fs = require('fs');
const https = require('https');

function deploy(dir, url) {
  const archive = archiver('zip');
  archive.directory(dir, false);
  archive.pipe(fs.createWriteStream('bundle.zip'));
  return archive.finalize().then(() => https.request(url, { method: 'PUT' }));
}
module.exports = { deploy };
