import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';
import { emptyResult, fixtureResult, HOSTILE_NAME } from './testdata/scan-result-fixture.js';

const plain = (result = fixtureResult(), verbose = false) => renderTable(result, { color: false, verbose });
// Our own styling is SGR only (`ESC [ n;n m`); anything else would come from untrusted text.
const withoutOwnStyles = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderTable', () => {
  it('starts with the summary line and the database age', () => {
    const [first, second] = plain().split('\n');
    expect(first).toBe(
      '16 packages scanned, 9 findings: 2 malware, 2 critical, 2 high, 2 medium, 1 low (2 suppressed)',
    );
    expect(second).toContain('updated 3 days ago');
    expect(second).toContain('package-lock.json (npm)');
  });

  it('puts malware first, then severities from critical to low, then suppressed', () => {
    const text = plain();
    const order = ['MALWARE (2)', 'CRITICAL (2)', 'HIGH (2)', 'MEDIUM (2)', 'LOW (1)', 'SUPPRESSED (2)'].map(
      (h) => text.indexOf(h),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('rotate every secret');
    expect(text).toMatch(/npm tokens, SSH keys, cloud credentials, CI secrets/);
  });

  it('shows id, aliases, package, usage, fix and paths for a finding', () => {
    const block = plain()
      .split('\n\n')
      .find((b) => b.includes('GHSA-p6mc-m468-83gw'))!;
    expect(block).toContain('GHSA-p6mc-m468-83gw  lodash@4.17.15');
    expect(block).toContain('aka CVE-2020-8203');
    expect(block).toContain('direct · fixed in 4.17.19 · CVSS 7.4');
    expect(block).toContain('fix  Upgrade lodash 4.17.15 -> 4.17.21: npm install lodash@4.17.21');
    expect(block).toContain('via  acme-app > lodash@4.17.15');
    expect(block.match(/acme-app > /g)).toHaveLength(3);
    expect(block).toContain('+2 more (path search stopped at its limit)');
    const ws = plain()
      .split('\n\n')
      .find((b) => b.includes('GHSA-3h5v-q93c-6h6q'))!;
    expect(ws).toContain('transitive · dev-only');
    expect(ws).toContain('"overrides": {\n           "ws@<7.5.10": "7.5.10"\n         }');
  });

  it('verbose mode lists every path and the references', () => {
    const block = plain(fixtureResult(), true)
      .split('\n\n')
      .find((b) => b.includes('GHSA-p6mc-m468-83gw'))!;
    expect(block.match(/acme-app > /g)).toHaveLength(5);
    expect(block).toContain('more (path search stopped at its limit)');
    expect(block).toContain('ref  https://github.com/lodash/lodash/issues/4874');
  });

  it('lists suppressed findings with reason and expiry, and flags expired ones', () => {
    const text = plain();
    const suppressed = text.slice(text.indexOf('SUPPRESSED'));
    expect(suppressed).toContain(
      'GHSA-c2qf-rxjj-qqgw  semver@5.7.1  high · accepted until 2099-12-31 (.bulwark.yaml)',
    );
    expect(suppressed).toContain('reason: Ranges are parsed only from our own package.json');
    expect(suppressed).toContain('accepted with no expiry');
    expect(text.slice(0, text.indexOf('SUPPRESSED'))).not.toContain('GHSA-c2qf-rxjj-qqgw');
    expect(text).toContain('! accepted risk expired 2024-01-31 (.bulwark.yaml)');
  });

  it('never lets untrusted text reach the terminal raw', () => {
    for (const color of [false, true]) {
      const text = renderTable(fixtureResult(), { color });
      expect(withoutOwnStyles(text)).not.toContain('\u001b');
      expect(text).not.toContain('\u001b[2J');
      expect(text).not.toContain('\u202e');
      expect(text).toContain('\\x1b[2J');
      expect(text).toContain('@evil/pkg\\x1b[8m@1.0.0');
    }
    // The newline inside the summary cannot forge a line of its own.
    expect(
      plain()
        .split('\n')
        .some((line) => line.trimStart().startsWith('CRITICAL: none')),
    ).toBe(false);
    const c1 = fixtureResult();
    c1.findings[0]!.summary = 'a\u009b2Jb\u0007c\u0000d';
    expect(plain(c1)).toContain('a\\x9b2Jb\\x07c\\x00d');
  });

  it('is plain without colour and styled with it', () => {
    expect(plain()).not.toContain('\u001b');
    const colored = renderTable(fixtureResult(), { color: true });
    expect(colored).toContain('\u001b[');
    expect(withoutOwnStyles(colored)).toBe(plain());
  });

  it('says so when nothing is found, and warns about an empty or stale database', () => {
    const clean = plain(emptyResult());
    expect(clean).toContain('16 packages scanned, 0 findings');
    expect(clean).toContain('No known vulnerabilities or malware.');
    const stale = emptyResult();
    stale.database.ageDays = 30;
    expect(plain(stale)).toContain('updated 30 days ago, stale: run `bulwark db update`');
    const missing = emptyResult();
    missing.database.advisories = 0;
    missing.database.malware = 0;
    delete missing.database.ageDays;
    expect(plain(missing)).toContain('advisory database is empty: run `bulwark db update`');
    const unknown = emptyResult();
    delete unknown.database.ageDays;
    expect(plain(unknown)).toContain('update time unknown');
    const today = emptyResult();
    today.database.ageDays = 0;
    expect(plain(today)).toContain('updated today');
  });

  it('escapes warnings', () => {
    expect(plain()).toContain(
      `- 1 package comes from a tarball URL, not the registry: @evil/pkg\\x1b[8m@1.0.0`,
    );
    expect(plain()).not.toContain(HOSTILE_NAME);
  });
});
