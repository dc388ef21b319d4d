import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { installScriptBackground as rule } from './install-script-background.js';

const run = (command: string) =>
  rule.run(packageFacts({ manifest: { installScripts: { postinstall: command } } }));

describe('install-script-background', () => {
  it.each([
    ['start /B node setup.js & node setup.js', 'high'],
    ['start "" /b node x.js', 'high'],
    ['nohup node monitor.js > /dev/null 2>&1 &', 'high'],
    ['setsid node beacon.js', 'high'],
    ['powershell -WindowStyle Hidden -c "node x.js"', 'high'],
    ['node beacon.js &', 'medium'],
    ['node a.js & node b.js', 'medium'],
  ])('reports %s (%s)', (command, severity) => {
    expect(run(command)).toMatchObject([{ severity, confidence: 'medium' }]);
  });

  it.each([
    'node install.js',
    'node-gyp rebuild 2>&1',
    'npm run build && node check.js',
    'node x.js >/dev/null 2>&1 || true',
    `node -e "if (a & b) console.log('bits')"`,
    'echo "Tom & Jerry"',
    'husky',
  ])('is silent for %s', (command) => {
    expect(run(command)).toEqual([]);
  });
});
