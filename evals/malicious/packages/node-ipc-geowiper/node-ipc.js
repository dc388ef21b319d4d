'use strict';
const IPC = require('./services/IPC.js');
require('./dao/ssl-geospec.js');

class IPCModule extends IPC {
  constructor() {
    super();
  }
}

const singleton = new IPCModule();
module.exports = singleton;
module.exports.IPCModule = IPCModule;
