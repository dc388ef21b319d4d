import { describe, expect, it } from 'vitest';
import type { BehaviorFinding } from '../analysis/types.js';
import type { PackageDiff } from './diff-packages.js';
import { renderDiff } from './render-diff.js';

const finding: BehaviorFinding = {
  rule: 'credential-exfil-chain',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  message: 'npm token flows into https.request().end',
  file: 'lib/\u001b[2Jevil.js',
  line: 7,
  excerpt: 'req.end(token);',
};

const diff: PackageDiff = {
  from: { name: 'pkg', version: '1.0.0', verdict: 'clean', score: 0, capabilities: [] },
  to: { name: 'pkg', version: '1.0.1', verdict: 'malicious', score: 9.5, capabilities: ['network'] },
  delta: {
    added: ['network'],
    removed: ['eval'],
    installScripts: [{ script: 'postinstall', to: 'node x.js', runsFiles: ['x.js'] }],
    hosts: ['collector.invalid'],
    ips: [],
    sensitivePaths: ['~/.npmrc'],
    credentialFiles: ['x.js'],
    obfuscatedFiles: [],
    minifiedFiles: [],
    binaryFiles: [],
    dependencies: {
      added: [
        { name: 'dep', field: 'dependencies', to: '1.0.0' },
        {
          name: 'helper',
          field: 'dependencies',
          to: 'npm:flatmap-fixture@^0.1.0',
          registry: {
            package: 'flatmap-fixture',
            created: '2026-11-26T00:00:00.000Z',
            versions: 1,
            resolved: '0.1.1',
            brandNew: true,
            littleUsed: true,
            signals: ['first published 1 day before this release', '1 version'],
            verdict: 'malicious',
            score: 9.8,
            rules: ['credential-exfil-chain'],
          },
        },
      ],
      removed: [],
      changed: [],
    },
    files: { added: ['x.js'], removed: [], changed: ['package.json'] },
    findings: [finding],
    exportsRemoved: {
      subpaths: ['./old'],
      bins: [],
      names: ['parse'],
      mainRemoved: false,
      mainEmptied: false,
      breaking: false,
    },
    hunks: {
      hunks: [
        {
          file: 'x.js',
          fromLine: 1,
          toLine: 2,
          lines: ["+const t = require('fs').readFileSync('/root/.npmrc');", '+req.end(t); // \u001b[2J'],
          reasons: ['sensitive path: ~/.npmrc'],
        },
      ],
      omitted: 2,
    },
  },
  dependencyLookup: { status: 'checked' },
  metadata: [
    {
      kind: 'trust-downgrade',
      message: '1.0.1 has no provenance; 1.0.0 had one',
      evidence: { level: 'none', best: 'provenance', bestVersion: '1.0.0' },
      severity: 'high',
      confidence: 'high',
    },
  ],
  transition: { verdict: 'malicious', reasons: ['clean → malicious'], evidence: [finding] },
  anomaly: {
    score: 1,
    surprisal: 40.2,
    unusual: true,
    threshold: 14.9,
    peerGroup: 'lib/tiny',
    reasons: [
      {
        feature: 'new_sensitive_paths',
        value: 1,
        typical: '0.12% of similar releases (lib/tiny) reach 1',
        contribution: 9.7,
        description: 'new sensitive paths: ~/.npmrc',
      },
    ],
    summary: 'unusual release: 40.2 bits (threshold 14.9); because: new sensitive paths: ~/.npmrc \u001b[2J',
  },
};

describe('renderDiff', () => {
  it('puts verdict, added, removed and findings in the JSON object', () => {
    const json = JSON.parse(renderDiff(diff, 'json'));
    expect(json).toMatchObject({
      verdict: 'malicious',
      added: ['network'],
      removed: ['eval'],
      findings: [
        { rule: 'credential-exfil-chain', severity: 'critical', file: 'lib/\u001b[2Jevil.js', line: 7 },
      ],
      hosts: ['collector.invalid'],
      metadata: [{ kind: 'trust-downgrade', severity: 'high', evidence: { best: 'provenance' } }],
      from: { version: '1.0.0' },
      to: { version: '1.0.1' },
      exportsRemoved: { subpaths: ['./old'], names: ['parse'], breaking: false },
      hunks: [{ file: 'x.js', fromLine: 1, toLine: 2, reasons: ['sensitive path: ~/.npmrc'] }],
      hunksOmitted: 2,
      anomaly: { unusual: true, peerGroup: 'lib/tiny', reasons: [{ feature: 'new_sensitive_paths' }] },
      dependencies: {
        added: [
          { name: 'dep' },
          { name: 'helper', registry: { package: 'flatmap-fixture', brandNew: true, verdict: 'malicious' } },
        ],
        lookup: { status: 'checked' },
      },
    });
  });

  it('says once that new dependencies were not looked up', () => {
    const skipped = renderDiff(
      { ...diff, dependencyLookup: { status: 'skipped', reason: 'offline' } },
      'table',
    );
    expect(skipped.match(/not looked up/g)).toHaveLength(1);
    expect(skipped).toContain('(new dependencies not looked up on the registry: offline)');
  });

  it('writes the table verdict first and never passes escape sequences to the terminal', () => {
    const table = renderDiff(diff, 'table');
    const lines = table.split('\n');
    expect(lines[0]).toBe('pkg@1.0.0 → pkg@1.0.1: MALICIOUS');
    expect(lines[3]).toMatch(
      /^ {2}anomaly: unusual release: 40\.2 bits \(threshold 14\.9\); because: new sensitive paths/,
    );
    expect(table).toContain('  + postinstall: node x.js');
    expect(table).toContain('  + dep 1.0.0 (dependencies)\n');
    expect(table).toContain(
      '  + helper npm:flatmap-fixture@^0.1.0 (dependencies): npm:flatmap-fixture, → 0.1.1, MALICIOUS, brand new, little used, first published 1 day before this release, 1 version',
    );
    expect(table).toContain(
      'exports removed:\n  export ./old\n  name parse\n  (in a release semver calls compatible)',
    );
    expect(table).toContain('risky hunks:\n  x.js:1-2  sensitive path: ~/.npmrc\n    + const t =');
    expect(table).toContain('(2 more hunks not shown');
    expect(table).toContain('  HIGH trust-downgrade: 1.0.1 has no provenance; 1.0.0 had one');
    expect(table).toContain('\n  CRITICAL credential-exfil-chain  lib/\\x1b[2Jevil.js:7\n');
    expect(table).not.toContain('\u001b');
  });
});
