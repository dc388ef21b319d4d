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
    installScripts: [{ script: 'postinstall', to: 'node x.js' }],
    hosts: ['collector.invalid'],
    ips: [],
    sensitivePaths: ['~/.npmrc'],
    obfuscatedFiles: [],
    minifiedFiles: [],
    binaryFiles: [],
    dependencies: { added: [{ name: 'dep', field: 'dependencies', to: '1.0.0' }], removed: [], changed: [] },
    files: { added: ['x.js'], removed: [], changed: ['package.json'] },
    findings: [finding],
  },
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
    });
  });

  it('writes the table verdict first and never passes escape sequences to the terminal', () => {
    const table = renderDiff(diff, 'table');
    const lines = table.split('\n');
    expect(lines[0]).toBe('pkg@1.0.0 → pkg@1.0.1: MALICIOUS');
    expect(table).toContain('  + postinstall: node x.js');
    expect(table).toContain('  + dep 1.0.0 (dependencies)');
    expect(table).toContain('  HIGH trust-downgrade: 1.0.1 has no provenance; 1.0.0 had one');
    expect(table).toContain('\n  CRITICAL credential-exfil-chain  lib/\\x1b[2Jevil.js:7\n');
    expect(table).not.toContain('\u001b');
  });
});
