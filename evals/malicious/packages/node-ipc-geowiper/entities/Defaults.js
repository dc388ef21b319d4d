'use strict';
const os = require('os');

class Defaults {
  constructor() {
    this.appspace = 'app.';
    this.socketRoot = os.tmpdir() + '/';
    this.id = os.hostname();
    this.encoding = 'utf8';
    this.rawBuffer = false;
    this.delimiter = '\f';
    this.silent = false;
    this.maxConnections = 100;
    this.retry = 500;
    this.maxRetries = Infinity;
    this.stopRetrying = false;
  }
}

module.exports = Defaults;
