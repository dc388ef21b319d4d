import { describe, expect, it } from 'vitest';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { persistenceAutostart as rule } from './persistence-autostart.js';

const write = call('fs.writeFileSync', 'filesystem-write', at('a.js', 9));

describe('persistence-autostart', () => {
  it.each([
    ['/home/u/.config/systemd/user/fixture.service', 'systemd unit', 'high'],
    ['~/Library/LaunchAgents/com.fixture.plist', 'launchd agent', 'high'],
    ['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'Windows Run key', 'high'],
    ['/home/u/.bashrc', 'shell startup file', 'medium'],
    ['.zshrc', 'shell startup file', 'medium'],
  ])('reports a write to %s from a file the install hook runs', (path, name, confidence) => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { postinstall: 'node a.js' } },
        code: [str(path, at('a.js', 3)), write],
      }),
    );
    expect(findings).toEqual([
      expect.objectContaining({ confidence, message: `a.js writes a ${name}: ${path}` }),
    ]);
  });

  it('grades writes outside install time down: shell rc low (completion), a unit medium (pm2 startup)', () => {
    const findings = rule.run(packageFacts({ code: [str('/home/u/.bashrc', at('a.js', 3)), write] }));
    expect(findings.map((f) => f.confidence)).toEqual(['low']);
    const unit = rule.run(
      packageFacts({ code: [str('/home/u/.config/systemd/user/x.service', at('a.js', 3)), write] }),
    );
    expect(unit.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('is silent when the file only reads the location (shell detection)', () => {
    const read = call('fs.readFileSync', 'filesystem-read', at('a.js', 4), ['/home/u/.zshrc']);
    expect(rule.run(packageFacts({ code: [str('/home/u/.zshrc', at('a.js', 3)), read] }))).toEqual([]);
  });

  it.each([
    'systemctl --user enable fixture.service',
    '(crontab -l; echo "@reboot x") | crontab -',
    'launchctl load ~/Library/LaunchAgents/x.plist',
    'schtasks /create /tn x /tr y',
  ])('reports the command %s: high at install time, medium from library code (pm2 startup)', (command) => {
    const code = [call('child_process.execSync', 'process', at('a.js', 2), [command])];
    const install = rule.run(
      packageFacts({ manifest: { installScripts: { postinstall: 'node a.js' } }, code }),
    );
    expect(install.map((f) => f.confidence)).toEqual(['high']);
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports a prepared command string in a file that spawns, at medium confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          str('systemctl --user enable fixture', at('a.js', 1)),
          call('child_process.exec', 'process', at('a.js', 5)),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('is silent for systemctl status and for a command string with no process call', () => {
    expect(
      rule.run(
        packageFacts({
          code: [call('child_process.execSync', 'process', at('a.js', 2), ['systemctl status nginx'])],
        }),
      ),
    ).toEqual([]);
    expect(
      rule.run(packageFacts({ code: [str('run: systemctl --user enable my.service', at('a.js', 1))] })),
    ).toEqual([]);
  });
});
