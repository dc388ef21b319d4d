import { describe, expect, it } from 'vitest';
import { buildSandboxReport } from './build-report.js';
import { renderSandboxReport } from './render.js';
import { runBuilder } from './testdata/runs.js';
import { META, nativeBuild, xmlrpcStyle } from './testdata/scenarios.js';

const hostile = () => {
  const run = runBuilder().standard();
  run.script(4110, 'node x.js \u001b[2J\u001b]8;;https://x.invalid\u0007');
  run.proc(4111, 4110, ['node', '-e', 'evil()\u001b[1A\r\nFORGED LINE', '\u202eabc']);
  run.proc(4112, 4111, ['curl', '\u001b[2J\u001b[Hhttp://x.invalid']);
  run.write(4111, '/home/dana/.bashrc');
  run.lookup(4111, 'a<img src=x onerror=alert(1)>.invalid');
  run.tcp(4111, run.answer(), 80, { http: { method: 'GET', target: '/\u001b[31mred', host: 'x.invalid' } });
  return buildSandboxReport([run.build()], META);
};

describe('sandbox report renderers', () => {
  it('table: verdict first, grouped findings, and every untrusted string escaped', () => {
    const text = renderSandboxReport(hostile(), 'table');
    expect(text.split('\n')[0]).toMatch(/^left-padder@1\.0\.0: SUSPICIOUS \(score \d+\.\d\/10\)$/);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('GET /\\x1b[31mred');
    expect(text).toContain('\\u202eabc');
    expect(text).toContain('4112 curl \\x1b[2J\\x1b[Hhttp://x.invalid');
    expect(text).not.toMatch(/^FORGED LINE/m);
    expect(text).toMatch(/^ {2}HIGH$/m);
    expect(text).toContain('processes of the package:');
  });

  it('table: a clean native build shows capabilities only', () => {
    const text = renderSandboxReport(buildSandboxReport([nativeBuild()], META), 'table');
    expect(text.split('\n')[0]).toBe('left-padder@1.0.0: CLEAN (score 0.0/10)');
    expect(text).toContain('findings: none');
    expect(text).toContain('  capabilities');
    expect(text).toContain('honeytokens: untouched');
  });

  it('table: shows the xmlrpc story', () => {
    const text = renderSandboxReport(buildSandboxReport([xmlrpcStyle()], META), 'table');
    expect(text).toContain('left-padder@1.0.0: MALICIOUS (score 10.0/10)');
    expect(text).toContain(
      '  CRITICAL\n    sandbox-credential-then-network (high confidence) [default/import pid 4300 left-padder]',
    );
    expect(text).toContain('tcp files.filedrop.invalid:443 (198.18.0.2)');
    expect(text).toContain('/home/dana/.ssh/id_rsa  read  honeytoken ssh-private-key, ssh');
    expect(text).toMatch(/^ {4}default\/import 4303 kworker --donate-level 1$/m);
    expect(renderSandboxReport(buildSandboxReport([nativeBuild()], META), 'table')).toContain(
      '  default/install 4140 sh -c "node-gyp rebuild"  (install of left-padder)\n',
    );
  });

  it('json: the report itself, stable key order, two-space indent, round-trips', () => {
    const report = buildSandboxReport([xmlrpcStyle()], META);
    const json = renderSandboxReport(report, 'json');
    expect(JSON.parse(json)).toEqual(report);
    expect(Object.keys(JSON.parse(json))).toEqual([
      'package',
      'verdict',
      'score',
      'findings',
      'network',
      'files',
      'dns',
      'processes',
      'honeytokens',
      'runs',
      'sandbox',
    ]);
    expect(json.startsWith('{\n  "package": {\n    "name": "left-padder",')).toBe(true);
    expect(Object.keys(JSON.parse(json).findings[0])).toEqual([
      'rule',
      'kind',
      'severity',
      'confidence',
      'message',
      'evidence',
      'actor',
    ]);
    // Key order does not depend on how the object was built.
    const shuffled = Object.fromEntries(Object.entries(report).reverse()) as typeof report;
    expect(renderSandboxReport(shuffled, 'json')).toBe(json);
  });

  it('markdown: escapes HTML and Markdown from the sandbox', () => {
    const text = renderSandboxReport(hostile(), 'markdown');
    expect(text).toMatch(/^## Bulwark sandbox: `left-padder@1.0.0` is (MALICIOUS|SUSPICIOUS)/);
    // Code spans show HTML literally; everywhere else it must be escaped.
    const outsideCode = text.replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toMatch(/<img/);
    expect(text).toContain('`A a<img src=x onerror=alert(1)>.invalid`');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('| Severity | Rule | Confidence | Who | Finding |');
  });

  it('markdown: a malicious verdict carries the caution block', () => {
    const text = renderSandboxReport(buildSandboxReport([xmlrpcStyle()], META), 'markdown');
    expect(text).toContain('> [!CAUTION]');
    expect(text).toContain('<summary>Honeytokens: 2 read, 0 exfiltrated</summary>');
  });
});
