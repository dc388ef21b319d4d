import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { renderReport } from './index.js';
import { buildSarif } from './sarif.js';
import { behaviorResult } from './testdata/behavior-fixture.js';
import { validateScanReport as validate, validateSarif } from './testdata/schema-validators.js';

describe('behaviour findings in every scan report', () => {
  it('json: the finding carries its verdict and evidence; the analysis summary validates', () => {
    const parsed = JSON.parse(renderReport(behaviorResult(), 'json', { color: false }));
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.findings[0]).toMatchObject({ type: 'behavior', behavior: { verdict: 'malicious' } });
    expect(parsed.analysis.verdicts.malicious).toBe(1);
    const broken = structuredClone(parsed);
    broken.analysis.notAnalysed[0].reason = 'forgot';
    expect(validate(broken)).toBe(false);
  });

  it('table: malicious code has its own section with the advice, evidence lines and escaped excerpts', () => {
    const text = renderReport(behaviorResult(), 'table', { color: false });
    expect(text).toContain('MALICIOUS CODE (1)');
    expect(text).toContain('rotate every secret');
    expect(text).toContain(
      'code analysis: 5 packages (2 analysed, 3 cached) · 1 malicious, 0 suspicious · 1 not judged · 2 not analysed (local 1, git 1)',
    );
    expect(text).toContain('code not analysed: from-git@1.0.0 (git)');
    expect(text).not.toContain('acme-lib@1.0.0 (local)');
    expect(text).toContain(
      '- CRITICAL install-script-download-exec (threat, high confidence) package.json:1',
    );
    expect(text).toContain('malicious, score 9.8/10 · capabilities: network, process');
    expect(text).toContain('analysis-time-limit');
    expect(text).toContain('not judged: time-limit');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('no fixed version');
    // the malicious section comes before the medium one
    expect(text.indexOf('MALICIOUS CODE')).toBeLessThan(text.indexOf('MEDIUM (1)'));
  });

  it('markdown: a caution callout, no advisory link for a rule id, evidence folded away', () => {
    const text = renderReport(behaviorResult(), 'markdown', { color: false });
    expect(text).toContain(
      '> **Malicious code (found by reading the package, not in an advisory): `fixture-stealer@1.0.0`**',
    );
    expect(text).toContain(
      '| **MALICIOUS CODE** | `fixture-stealer@1.0.0` (direct) | install-script-download-exec ',
    );
    expect(text).not.toContain('osv.dev/vulnerability/install-script');
    expect(text).toContain('<summary>Code analysis evidence</summary>');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('code analysis: 5 packages');
    expect(text).toContain('<br>code not analysed: from-git@1.0.0 (git)');
  });

  it('sarif: ranked like malware, no help link, verdict and evidence in properties and help', () => {
    const log = buildSarif(behaviorResult());
    expect(validateSarif(JSON.parse(JSON.stringify(log))), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules!.find((r) => r.id === 'install-script-download-exec')!;
    expect(rule.helpUri).toBeUndefined();
    expect(rule.properties!['security-severity']).toBe('10.0');
    expect(rule.help!.text).toContain('CRITICAL credential-exfil-chain (threat, high confidence) index.js:6');
    const result = run.results!.find((r) => r.ruleId === 'install-script-download-exec')!;
    expect(result.level).toBe('error');
    expect(result.message.text).toContain(
      'fixture-stealer@1.0.0 has malicious code (install-script-download-exec)',
    );
    expect(result.properties!.behavior).toMatchObject({ verdict: 'malicious', score: 9.8 });
    const limit = run.results!.find((r) => r.ruleId === 'analysis-time-limit')!;
    expect(limit.level).toBe('warning');
    expect(limit.message.text).toContain('could not be fully analysed');
  });

  it('cyclonedx: malicious code is CWE-506 with its verdict, and names no advisory database', async () => {
    const text = renderReport(behaviorResult(), 'cyclonedx', { color: false });
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull();
    const bom = JSON.parse(text);
    const vulnerability = bom.vulnerabilities.find(
      (v: { id: string }) => v.id === 'install-script-download-exec',
    );
    expect(vulnerability.source).toBeUndefined();
    expect(vulnerability.cwes).toEqual([506]);
    expect(vulnerability.properties).toContainEqual({ name: 'bulwark:verdict', value: 'malicious' });
  });
});
