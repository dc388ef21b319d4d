// Mimics the @0xengine/xmlrpc Dropbox uploader: embedded app secret and refresh token (defanged FIXTURE values).
const { Dropbox } = require('dropbox');
const fs = require('fs');

const dbx = new Dropbox({
  clientId: 'fixture-app-key',
  clientSecret: 'FIXTURE-NOT-A-CLIENT-SECRET',
  refreshToken: 'FIXTURE-NOT-A-REFRESH-TOKEN-000000000000',
});

async function upload(file) {
  await dbx.filesUpload({ path: `/collect/${Date.now()}.bin`, contents: fs.readFileSync(file) });
}
module.exports = upload;
