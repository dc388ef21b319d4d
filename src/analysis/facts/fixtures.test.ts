import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../types.js';
import { extractFileFacts } from './extract-file.js';

/** Defanged samples shaped like real incidents (testdata/README.md), and a benign twin. */
const extract = (name: string) =>
  extractFileFacts(name, readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8'));
const ofKind = <K extends CodeFact['kind']>(facts: CodeFact[], kind: K) =>
  facts.filter((f): f is Extract<CodeFact, { kind: K }> => f.kind === kind);
const describeFlow = (f: Extract<CodeFact, { kind: 'flow' }>) =>
  `${f.from.kind === 'env-read' ? `env:${f.from.key}` : f.from.kind === 'call' ? f.from.api : f.from.kind} -> ${
    f.to.kind === 'call' ? f.to.api : f.to.kind
  }`;

describe('incident-shaped fixtures', () => {
  it('env-exfil.js: whole environment and host facts reach the request body', () => {
    const { facts } = extract('env-exfil.js');
    const flows = ofKind(facts, 'flow').map(describeFlow);
    expect(flows).toEqual(
      expect.arrayContaining(['env:* -> https.request().write', 'os.hostname -> https.request().write']),
    );
    expect(ofKind(facts, 'env-read').map((e) => e.key)).toEqual(['*', 'NPM_TOKEN']);
    expect(ofKind(facts, 'call').map((c) => c.api)).toEqual(['os.hostname', 'os.userInfo', 'https.request']);
  });

  it('obfuscated-loader.js: obfuscator names, rotation, decode-eval, decoded payload', () => {
    const { facts, stats } = extract('obfuscated-loader.js');
    expect(stats.minified).toBe(false);
    expect(ofKind(facts, 'obfuscation').map((o) => o.signal)).toEqual(
      expect.arrayContaining(['string-array-rotation', 'decode-eval', 'obfuscator-identifiers']),
    );
    expect(ofKind(facts, 'string').map((s) => [s.value, s.decodedFrom])).toContainEqual([
      "console.log('fixture')",
      'base64',
    ]);
  });

  it('stealer.js: assembled C2 address, wallet/browser/ssh paths, files reach fetch', () => {
    const { facts } = extract('stealer.js');
    expect(ofKind(facts, 'ip')).toContainEqual(
      expect.objectContaining({ value: '203.0.113.7', port: 1224, range: 'documentation' }),
    );
    expect(ofKind(facts, 'url').map((u) => u.value)).toContain('http://203.0.113.7:1224/uploads');
    expect(new Set(ofKind(facts, 'sensitive-path').map((p) => p.category))).toEqual(
      new Set(['crypto-wallet', 'browser-profile', 'ssh']),
    );
    expect(ofKind(facts, 'flow').map(describeFlow)).toEqual(
      expect.arrayContaining(['os.homedir -> fetch', 'fs.readFileSync -> fetch']),
    );
  });

  it('hidden-code.js: code after 300 spaces, invisible selectors, decoded eval', () => {
    const { facts } = extract('hidden-code.js');
    const signals = ofKind(facts, 'obfuscation');
    expect(signals.map((o) => o.signal)).toEqual(
      expect.arrayContaining(['whitespace-hidden-code', 'decode-eval']),
    );
    expect(signals.find((o) => o.signal === 'whitespace-hidden-code')?.at).toMatchObject({
      line: 1,
      column: 355,
    });
    expect(ofKind(facts, 'unicode')).toEqual([
      expect.objectContaining({
        signal: 'variation-selector',
        count: 3,
        at: expect.objectContaining({ line: 2 }),
      }),
    ]);
  });

  it('validator.js: a .js file that is a shell script', () => {
    const { facts, stats } = extract('validator.js');
    expect(stats.parsed).toBe(false);
    expect(ofKind(facts, 'obfuscation').map((o) => o.detail)).toEqual([
      'JavaScript file starts with #!/bin/bash',
    ]);
  });

  it('benign-dotenv.js: reads .env and env keys, and no flow or obfuscation', () => {
    const { facts } = extract('benign-dotenv.js');
    expect(ofKind(facts, 'flow')).toEqual([]);
    expect(ofKind(facts, 'obfuscation')).toEqual([]);
    expect(ofKind(facts, 'sensitive-path').map((p) => p.category)).toEqual(['dotenv']);
    expect(ofKind(facts, 'env-read').map((e) => e.key)).toEqual(['*', 'DEBUG']);
  });
});
