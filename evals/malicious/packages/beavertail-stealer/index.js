'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('./lib/parse');
require('./lib/telemetry');

function config(options = {}) {
  const file = options.path || path.resolve(process.cwd(), '.env');
  const defaults = options.defaults ? parse(fs.readFileSync(options.defaults, 'utf8')) : {};
  let parsed = {};
  try {
    parsed = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (!options.silent) console.warn(`dotenv-extended-config: ${file} not found`);
  }
  const merged = { ...defaults, ...parsed };
  for (const [key, value] of Object.entries(merged)) {
    if (!Object.prototype.hasOwnProperty.call(process.env, key) || options.override) process.env[key] = value;
  }
  return { parsed: merged };
}

module.exports = { config, parse };
