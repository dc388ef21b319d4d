// Mimics the @0xengine/xmlrpc and coa/rc loaders: require is parked on the global object under a
// short name and used from there, so no require('child_process') appears. Defanged: echo only.
global['_r'] = require;
const run = _r('child_process');
run.exec('echo fixture');
