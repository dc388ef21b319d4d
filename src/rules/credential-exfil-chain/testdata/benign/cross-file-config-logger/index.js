const http = require('http');
const config = require('./lib/config');
const log = require('./lib/logger');

const settings = config.load();
log(`loaded ${Object.keys(settings).length} settings`);
http.createServer((req, res) => res.end('ok')).listen(config.port);
