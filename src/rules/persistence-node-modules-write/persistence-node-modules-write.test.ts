import { describe, expect, it } from 'vitest';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { persistenceNodeModulesWrite as rule } from './persistence-node-modules-write.js';

const write = (api: string, args: string[], file = 'index.js') =>
  call(`fs.${api}`, 'filesystem-write', at(file, 2), args);

describe('persistence-node-modules-write', () => {
  it.each([
    ['appendFileSync', ['node_modules/express/index.js', '']],
    ['writeFileSync', ['/app/node_modules/@scope/pkg/lib/main.js', '']],
    ['copyFileSync', ['payload.js', 'node_modules/lodash/lodash.js']],
    ['writeFileSync', ['*/../react/index.js', '']],
  ])('reports %s into another package', (api, args) => {
    const findings = rule.run(packageFacts({ code: [write(api, args)] }));
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
  });

  it('is high confidence from a file run at install', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { postinstall: 'node install.js' } },
        files: [fileStats('install.js')],
        code: [write('appendFileSync', ['node_modules/express/index.js', ''], 'install.js')],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
  });

  it('is low confidence from a test file building a fixture tree', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          write(
            'writeFileSync',
            ['*/node_modules/react-native/package.json', ''],
            'scripts/__tests__/plugin.test.js',
          ),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['low']);
  });

  it.each([
    ['a tool cache', ['node_modules/.cache/babel/x.json', '']],
    ['the .bin folder', ['node_modules/.bin/tool', '']],
    ['its own folder', ['node_modules/fixture-package/state.json', '']],
    ['a source file', ['payload.js', 'node_modules/lodash/lodash.js']], // rename source, not target
    ['no path', ['', '']],
  ])('is silent for %s', (_, args) => {
    const api = args[0] === 'payload.js' ? 'readFileSync' : 'writeFileSync';
    expect(rule.run(packageFacts({ code: [write(api, args)] }))).toEqual([]);
  });
});
