import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxReport } from '../types.js';
import { recordSandboxVerdict } from './record-verdict.js';
import { openSandboxVerdicts } from './sandbox-verdicts.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-record-verdict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = (verdict: SandboxReport['verdict'], score: number): SandboxReport =>
  ({
    package: { name: 'left-padder', version: '1.0.0', source: 'left-padder@1.0.0' },
    verdict,
    score,
    findings:
      verdict === 'malicious'
        ? [
            {
              rule: 'sandbox-honeytoken-exfiltration',
              kind: 'threat',
              severity: 'critical',
              confidence: 'high',
              message: 'sent',
              evidence: [],
            },
          ]
        : [],
  }) as unknown as SandboxReport;

describe('recordSandboxVerdict', () => {
  const integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  const read = (location: string) => {
    const store = openSandboxVerdicts(location);
    try {
      return store.getMany([integrity]).get(integrity);
    } finally {
      store.close();
    }
  };

  it('stores the verdict and its threat findings', () => {
    const location = join(dir, 'a.db');
    recordSandboxVerdict(report('malicious', 10), integrity, () => {}, location);
    expect(read(location)).toMatchObject({
      name: 'left-padder',
      verdict: 'malicious',
      findings: [{ rule: 'sandbox-honeytoken-exfiltration', severity: 'critical' }],
    });
  });

  it('keeps the worst verdict: a later clean run does not clear a malicious one', () => {
    const location = join(dir, 'b.db');
    recordSandboxVerdict(report('malicious', 10), integrity, () => {}, location);
    recordSandboxVerdict(report('clean', 0), integrity, () => {}, location);
    expect(read(location)?.verdict).toBe('malicious');
    const other = join(dir, 'c.db');
    recordSandboxVerdict(report('clean', 0), integrity, () => {}, other);
    recordSandboxVerdict(report('malicious', 10), integrity, () => {}, other);
    expect(read(other)?.verdict).toBe('malicious');
  });

  it('warns instead of failing when the store cannot be written', () => {
    const warnings: string[] = [];
    // A regular file where the database's directory should be.
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    recordSandboxVerdict(report('malicious', 10), integrity, (m) => warnings.push(m), join(blocker, 'x.db'));
    expect(warnings).toEqual([expect.stringContaining('cannot record the sandbox verdict')]);
  });
});
