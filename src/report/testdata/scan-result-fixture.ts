import type { Finding } from '../../core/finding.js';
import type { InventoryPackage, ScanResult } from '../../core/scan-result.js';

/**
 * A realistic scan of a small npm project: malware (one a takeover of a popular package), one
 * vulnerability of each severity, direct and transitive, dev-only, every remediation kind,
 * suppressed findings (with and without expiry), an expired suppression, truncated paths,
 * an npm alias, git and tarball sources, and hostile text in a package name and a summary.
 * Timestamps are fixed so golden files are stable.
 */

export const HOSTILE_NAME = '@evil/pkg\u001b[8m';
export const HOSTILE_SUMMARY =
  '\u001b[2J\u001b[H<script>alert(1)</script> | `whoami` @octocat [click](https://phish.example.invalid)\n  CRITICAL: none \u202eeulav';

const pkg = (
  name: string,
  version: string,
  extra: Partial<InventoryPackage> & { integrity?: string } = {},
): InventoryPackage => ({
  name,
  version,
  resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
  source: 'registry',
  direct: false,
  dev: false,
  optional: false,
  bundled: false,
  ...extra,
});

export const fixturePackages: InventoryPackage[] = [
  pkg('0supportscolor', '1.0.0', {
    direct: true,
    integrity:
      'sha512-9jpABWdSutMDUyyEql4IDMjWzhRgcQ6mhVUtljff69+4LUh4ArLndoHGnZlUShdFykHXeL/RKoUTx52F283Q1w==',
  }),
  pkg('@babel/core', '7.22.0', {
    direct: true,
    dev: true,
    integrity:
      'sha512-jT0Nmr5jY69/jp2S8/OGCVZb1r92SUws5lCxlfAxVKg6hqACqJrZhBXJXodG80yYe3YXOBqANb0bDHzrbNUP7w==',
  }),
  pkg('@babel/traverse', '7.22.0', {
    dev: true,
    integrity:
      'sha512-pgfTmuyPefdwPtlmh3d2Khx0TXeKVn37YmllPgTEr+dys2+2RlTrUY+lNJhwda2Z8uRTtCQFPvXEe31BNVqoJw==',
  }),
  {
    name: HOSTILE_NAME,
    version: '1.0.0',
    resolved: 'https://tarballs.example.invalid/evil-pkg-1.0.0.tgz',
    integrity:
      'sha512-PPYK+/XlLlmmQPYWLhRfrJPlGKVUQMcHYPs6S1Z16MIVt8TR0+7ZBrDF/DZidYV6wpHjF4o/OWf+CFR8L0aeeg==',
    source: 'tarball',
    direct: true,
    dev: false,
    optional: false,
    bundled: false,
  },
  pkg('cookie', '0.4.2', { integrity: 'sha1-Wcgm/IVBl8vU0Qg7zo/ADQdh6LM=' }),
  pkg('debug', '4.4.2', {
    integrity:
      'sha512-cvKFV5ToNMAwrTOYm8xf3i+kDnH+lU6QJEJ8hLKnBUfFVmxHzia7/89IZt29h4qqpTvb1ZaQAY4xQRDTk0GA9Q==',
  }),
  pkg('ip', '2.0.0', {
    direct: true,
    integrity:
      'sha512-jrKwwJgqmEJByJvtWdFmD5ZsvS9frQZDamOLntGdJtuJhpDCtf4ntGdoETMqO92SLu8qpbtfdHlKSEu0jHPfKw==',
  }),
  pkg('jsdom', '16.7.0', {
    direct: true,
    dev: true,
    integrity:
      'sha512-lD8n377LyyTmAWB7KAValo4EqV2+topaqnNtEclue3H36E1fvyFA/hfX4QTfe13vojnVJVmbea9jg7cgvyTOeQ==',
  }),
  pkg('lodash', '4.17.15', {
    direct: true,
    integrity:
      'sha512-w10SDzJNQ0EkMN5baNTKS3igPcgVKjWuEqhgEto3+OGQee0FFEIz5adGwXxWu0HdnQUMuxLJtoR3x1r22GV1Bg==',
  }),
  pkg('minimist', '1.2.5', {
    integrity:
      'sha512-v4+5jEc9YR3pXGDJ4/3RJFJq6yDtRdcnnHJfYwjIznXE1E6asIGXqSnh/hEGyTn00hs6riRhmZiwhjDLf77DfQ==',
  }),
  pkg('mkdirp', '0.5.5', {
    direct: true,
    integrity:
      'sha512-zY+j7JcAh5CZN+lVml8YujeU43SCS5u91hOI/C5MgufhWCCDVwNFXslkSh8jBntLff/VbBxdQuTUx1OT9rP1bQ==',
  }),
  {
    name: 'my-fork',
    version: '1.2.3',
    resolved: 'git+ssh://git@git.example.invalid/acme/my-fork.git#0123456789abcdef0123456789abcdef01234567',
    source: 'git',
    direct: true,
    dev: false,
    optional: false,
    bundled: false,
  },
  pkg('semver', '5.7.1', {
    integrity:
      'sha512-GogQD4gTngc5IzoSqs+b5ccphhIItJN4eFJnt8tMoShIZuInuAFzNgVgG7oqu85ee0VZB9zXIIs8MDVuTt2LAg==',
  }),
  pkg('string-width', '4.2.3', {
    aliases: ['string-width-cjs'],
    direct: true,
    integrity:
      'sha512-29keFu9AI+v4bGbhC6xC/RnbKfAMICyWkTCsUskWxuFVQICUF62Y0rJcDuN2V8kspgkIXliv/EErNMfk/7pAHw==',
  }),
  pkg('tough-cookie', '2.5.0', {
    dev: true,
    integrity:
      'sha512-efvN5S6+Paopm2lEVy0Mbzcy2s35rL84eEMo6kRI1CMRRAobcjwMD01gZuBI+GHaQEbshhnmxZ+47TZwNa3Hkg==',
  }),
  pkg('ws', '7.5.9', {
    dev: true,
    optional: true,
    integrity:
      'sha512-q0wGD9O2cwtfPIaWUVSB65eN4v4izg0Uoa8Nb+tEVgSZ40FIsoPaEXhd56CKHbMET7RPUU0XYJ5w1vVyN/SedA==',
  }),
];

const ROOT = 'acme-app';

export const fixtureFindings: Finding[] = [
  {
    type: 'malware',
    id: 'MAL-2025-46974',
    aliases: ['GHSA-4x49-vf9v-38px', 'CVE-2025-59144', 'GHSA-8mgj-vmr8-frr6'],
    summary: 'debug@4.4.2 contains malware after npm account takeover',
    severity: 'critical',
    package: { name: 'debug', version: '4.4.2' },
    line: 212,
    direct: false,
    devOnly: false,
    paths: [[ROOT, 'ip@2.0.0', 'debug@4.4.2']],
    pathsTruncated: false,
    fixedIn: '4.4.3',
    remediation: { kind: 'remove', dependency: 'debug', advice: 'Pin debug to 4.4.1 or 4.4.3 with an override.' },
    references: [
      'https://github.com/debug-js/debug/issues/1005',
      'https://osv.dev/vulnerability/MAL-2025-46974',
    ],
  },
  {
    type: 'malware',
    id: 'MAL-2022-13',
    aliases: ['GHSA-2hxj-pr5x-569c'],
    summary: 'Malicious code in 0supportscolor (npm)',
    severity: 'critical',
    package: { name: '0supportscolor', version: '1.0.0' },
    line: 18,
    direct: true,
    devOnly: false,
    paths: [[ROOT, '0supportscolor@1.0.0']],
    pathsTruncated: false,
    remediation: {
      kind: 'remove',
      dependency: '0supportscolor',
      advice: 'Delete it from package.json and the lockfile; no version is safe.',
    },
    references: [],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-67hx-6x53-jw92',
    aliases: ['CVE-2023-45133'],
    summary: 'Babel vulnerable to arbitrary code execution when compiling specifically crafted malicious code',
    severity: 'critical',
    score: 9.3,
    vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    package: { name: '@babel/traverse', version: '7.22.0' },
    line: 40,
    direct: false,
    devOnly: true,
    paths: [[ROOT, '@babel/core@7.22.0', '@babel/traverse@7.22.0']],
    pathsTruncated: false,
    fixedIn: '7.23.2',
    remediation: {
      kind: 'upgrade',
      dependency: '@babel/core',
      from: '7.22.0',
      to: '7.23.2',
      major: false,
      command: 'npm install --save-dev @babel/core@7.23.2',
    },
    references: ['https://nvd.nist.gov/vuln/detail/CVE-2023-45133', 'https://github.com/babel/babel/pull/16033'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-xvch-5gv4-984h',
    aliases: ['CVE-2021-44906'],
    summary: 'Prototype Pollution in minimist',
    severity: 'critical',
    score: 9.8,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    package: { name: 'minimist', version: '1.2.5' },
    line: 301,
    direct: false,
    devOnly: false,
    paths: [[ROOT, 'mkdirp@0.5.5', 'minimist@1.2.5']],
    pathsTruncated: false,
    fixedIn: '1.2.6',
    remediation: { kind: 'refresh', to: '1.2.8', command: 'npm update minimist' },
    references: ['https://nvd.nist.gov/vuln/detail/CVE-2021-44906'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-p6mc-m468-83gw',
    aliases: ['CVE-2020-8203'],
    summary: 'Prototype Pollution in lodash',
    severity: 'high',
    score: 7.4,
    vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H',
    package: { name: 'lodash', version: '4.17.15' },
    line: 280,
    direct: true,
    devOnly: false,
    paths: [
      [ROOT, 'lodash@4.17.15'],
      [ROOT, 'jsdom@16.7.0', 'lodash@4.17.15'],
      [ROOT, 'my-fork@1.2.3', 'lodash@4.17.15'],
      [ROOT, 'jsdom@16.7.0', 'request@2.88.2', 'lodash@4.17.15'],
      [ROOT, 'my-fork@1.2.3', 'string-width@4.2.3', 'lodash@4.17.15'],
    ],
    pathsTruncated: true,
    fixedIn: '4.17.19',
    remediation: {
      kind: 'upgrade',
      dependency: 'lodash',
      from: '4.17.15',
      to: '4.17.21',
      major: false,
      command: 'npm install lodash@4.17.21',
    },
    references: ['https://github.com/lodash/lodash/issues/4874'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-3h5v-q93c-6h6q',
    aliases: ['CVE-2024-37890'],
    summary: 'ws affected by a DoS when handling a request with many HTTP headers',
    severity: 'high',
    score: 7.5,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    package: { name: 'ws', version: '7.5.9' },
    line: 402,
    direct: false,
    devOnly: true,
    paths: [[ROOT, 'jsdom@16.7.0', 'ws@7.5.9']],
    pathsTruncated: false,
    fixedIn: '7.5.10',
    remediation: {
      kind: 'override',
      manager: 'npm',
      field: 'overrides',
      key: 'ws@<7.5.10',
      value: '7.5.10',
      note: 'jsdom@16.7.0 pins ws to ^7.4.6 and no jsdom 16.x release moves it.',
    },
    references: ['https://github.com/websockets/ws/commit/e55e5106f10fcbaac37cfa89759e4cc0d073a52c'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-hhhh-hhhh-hhhh',
    aliases: ['CVE-2099-0001'],
    summary: HOSTILE_SUMMARY,
    severity: 'medium',
    score: 5.3,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
    package: { name: HOSTILE_NAME, version: '1.0.0' },
    direct: true,
    devOnly: false,
    paths: [[ROOT, `${HOSTILE_NAME}@1.0.0`]],
    pathsTruncated: false,
    remediation: { kind: 'none', reason: 'no fixed version is published' },
    references: ['javascript:alert(1)', 'https://advisories.example.invalid/evil pkg'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-72xf-g2v4-qvf3',
    aliases: ['CVE-2023-26136'],
    summary: 'tough-cookie Prototype Pollution vulnerability',
    severity: 'medium',
    score: 6.5,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
    package: { name: 'tough-cookie', version: '2.5.0' },
    line: 377,
    direct: false,
    devOnly: true,
    paths: [[ROOT, 'jsdom@16.7.0', 'tough-cookie@2.5.0']],
    pathsTruncated: false,
    fixedIn: '4.1.3',
    remediation: {
      kind: 'upgrade',
      dependency: 'jsdom',
      from: '16.7.0',
      to: '22.1.0',
      major: true,
      command: 'npm install --save-dev jsdom@22.1.0',
    },
    references: ['https://github.com/salesforce/tough-cookie/issues/282'],
    expiredSuppression: {
      id: 'GHSA-72xf-g2v4-qvf3',
      package: 'tough-cookie',
      reason: 'Only used by jsdom in tests; cookies never come from untrusted input.',
      expires: '2024-01-31',
      source: '.bulwark.yaml',
    },
  },
  {
    type: 'vulnerability',
    id: 'GHSA-pxg6-pf52-xh8x',
    aliases: ['CVE-2024-47764'],
    summary: 'cookie accepts cookie name, path, and domain with out of bounds characters',
    severity: 'low',
    package: { name: 'cookie', version: '0.4.2' },
    line: 190,
    direct: false,
    devOnly: false,
    paths: [[ROOT, 'my-fork@1.2.3', 'cookie@0.4.2']],
    pathsTruncated: false,
    fixedIn: '0.7.0',
    remediation: { kind: 'refresh', to: '0.7.2', command: 'npm update cookie' },
    references: ['https://github.com/jshttp/cookie/pull/167'],
  },
  {
    type: 'vulnerability',
    id: 'GHSA-c2qf-rxjj-qqgw',
    aliases: ['CVE-2022-25883'],
    summary: 'semver vulnerable to Regular Expression Denial of Service',
    severity: 'high',
    score: 7.5,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    package: { name: 'semver', version: '5.7.1' },
    line: 355,
    direct: false,
    devOnly: false,
    paths: [[ROOT, 'my-fork@1.2.3', 'semver@5.7.1']],
    pathsTruncated: false,
    fixedIn: '5.7.2',
    remediation: { kind: 'refresh', to: '5.7.2', command: 'npm update semver' },
    references: ['https://nvd.nist.gov/vuln/detail/CVE-2022-25883'],
    suppression: {
      id: 'GHSA-c2qf-rxjj-qqgw',
      package: 'semver',
      range: '<5.7.2',
      reason: 'Ranges are parsed only from our own package.json, never from user input.',
      expires: '2099-12-31',
      source: '.bulwark.yaml',
    },
  },
  {
    type: 'vulnerability',
    id: 'GHSA-78xj-cgh5-2h22',
    aliases: ['CVE-2023-42282'],
    summary: 'NPM IP package vulnerable to Server-Side Request Forgery (SSRF) attack',
    severity: 'high',
    package: { name: 'ip', version: '2.0.0' },
    line: 240,
    direct: true,
    devOnly: false,
    paths: [[ROOT, 'ip@2.0.0']],
    pathsTruncated: false,
    fixedIn: '2.0.1',
    remediation: { kind: 'refresh', to: '2.0.1', command: 'npm update ip' },
    references: [],
    suppression: {
      id: 'GHSA-78xj-cgh5-2h22',
      reason: 'isPublic() is never called; we only format addresses.',
      source: '.bulwark.yaml',
    },
  },
];

export const fixtureResult = (): ScanResult => ({
  schemaVersion: 1,
  tool: { name: 'bulwark', version: '0.1.0' },
  generatedAt: '2025-06-15T12:00:00.000Z',
  target: {
    directory: '/home/dev/acme-app',
    file: '/home/dev/acme-app/package-lock.json',
    format: 'package-lock',
    manager: 'npm',
  },
  options: { omitDev: false, failOn: 'high' },
  database: {
    location: '/home/dev/.local/share/bulwark/bulwark.db',
    advisories: 41234,
    malware: 22290,
    lastImportAt: '2025-06-12T08:30:00.000Z',
    ageDays: 3,
  },
  packages: structuredClone(fixturePackages),
  findings: structuredClone(fixtureFindings),
  summary: {
    packages: fixturePackages.length,
    findings: fixtureFindings.length,
    suppressed: 2,
    bySeverity: { critical: 4, high: 4, medium: 2, low: 1, none: 0, unknown: 0 },
    malware: 2,
    failing: 6,
  },
  warnings: ['1 package comes from a tarball URL, not the registry: @evil/pkg\u001b[8m@1.0.0'],
});

/** A clean scan: nothing found. */
export const emptyResult = (): ScanResult => ({
  ...fixtureResult(),
  findings: [],
  summary: {
    packages: fixturePackages.length,
    findings: 0,
    suppressed: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 },
    malware: 0,
    failing: 0,
  },
  warnings: [],
});
