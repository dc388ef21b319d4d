#!/usr/bin/env node
// The package's command: prints the addon's answer.
console.log(require('./index.js').answer());
