'use strict';
const os = require('os');

const gib = (bytes) => Math.round((bytes / 1024 ** 3) * 10) / 10;

function osInfo() {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    type: os.type(),
    cpuModel: cpus.length > 0 ? cpus[0].model : 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: gib(os.totalmem()),
    freeMemoryGiB: gib(os.freemem()),
    uptimeHours: Math.round(os.uptime() / 3600),
  };
}

function isSupported(minRelease = '0.0.0') {
  const want = minRelease.split('.').map(Number);
  const have = os.release().split(/[.-]/).map(Number);
  for (let i = 0; i < want.length; i++) {
    if ((have[i] || 0) > want[i]) return true;
    if ((have[i] || 0) < want[i]) return false;
  }
  return true;
}

module.exports = { osInfo, isSupported };
