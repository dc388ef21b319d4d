// Benign twin: a sync tool that reads the user's own Dropbox token from the environment.
const { Dropbox } = require('dropbox');
const fs = require('fs');

const dbx = new Dropbox({
  clientId: process.env.DROPBOX_APP_KEY,
  refreshToken: process.env.DROPBOX_REFRESH_TOKEN,
});

module.exports = (file, target) => dbx.filesUpload({ path: target, contents: fs.readFileSync(file) });
