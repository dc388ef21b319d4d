// Mimics the coa/rc (Nov 2021) and @0xengine/xmlrpc loaders: the module name is cut into pieces
// so that a grep for child_process finds nothing. Defanged: the command only echoes.
const cp = require('chi' + 'ld_pro' + 'cess');
cp.exec('echo fixture');

function later() {
  const name = ['v', 'm'].join('');
  const hidden = Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString();
  return [require(name), require(hidden)];
}

module.exports = { later };
