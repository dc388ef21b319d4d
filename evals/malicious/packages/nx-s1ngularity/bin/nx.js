#!/usr/bin/env node
const { runCommand } = require('../src/index.js');

runCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
