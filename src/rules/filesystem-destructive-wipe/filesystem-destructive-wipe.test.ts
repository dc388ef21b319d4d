import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { filesystemDestructiveWipe as rule } from './filesystem-destructive-wipe.js';

const run = (command: string) => call('child_process.execSync', 'process', at('a.js', 2), [command]);

describe('filesystem-destructive-wipe', () => {
  it.each([
    'rm -rf ~',
    'rm -rf ~/',
    'rm -rf $HOME/*',
    'rm -r -f /',
    'rm -rf --no-preserve-root /',
    'sudo rm -fr /home',
    'shred -uvz -n 1 $HOME/*',
    'rd /s /q C:\\',
    'del /f /s /q %USERPROFILE%\\*',
    'Remove-Item -Path $HOME -Recurse -Force',
    'format C: /q',
  ])('reports %s as critical and high confidence', (command) => {
    expect(rule.run(packageFacts({ code: [run(command)] })).map((f) => [f.severity, f.confidence])).toEqual([
      ['critical', 'high'],
    ]);
  });

  it.each(['sudo shutdown -h 0', 'shutdown -h now', 'sudo reboot'])(
    'reports %s as high/medium',
    (command) => {
      expect(
        rule.run(packageFacts({ code: [str(command, at('a.js'))] })).map((f) => [f.severity, f.confidence]),
      ).toEqual([['high', 'medium']]);
    },
  );

  it('reads install scripts and the home-delete shape', () => {
    const shape: CodeFact = {
      kind: 'shape',
      shape: 'home-delete',
      detail: 'rmSync of the home or root directory',
      at: at('a.js', 3),
    };
    const findings = rule.run(
      packageFacts({ manifest: { installScripts: { postinstall: 'rm -rf ~' } }, code: [shape] }),
    );
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'critical']);
  });

  it.each([
    'rm -rf ./dist ./coverage',
    'rm -rf ~/.cache/tool',
    'rm -rf $HOME/.fixture-tool',
    'rm -rf /tmp/build-123',
    'rm -rf node_modules/',
    'shred -u secret.txt',
    'rd /s /q build',
    'shutdown handler registered',
  ])('is silent for %s', (command) => {
    expect(rule.run(packageFacts({ code: [run(command)] }))).toEqual([]);
  });

  it.each([
    'sudo rm -rf --no-preserve-root /FIXTURE-WIPE-TARGET',
    'find ~ -type f -writable -print0 | xargs -0 -r shred -uvz -n 1',
  ])('reports %s whatever the target', (command) => {
    expect(rule.run(packageFacts({ code: [str(command, at('a.js'))] })).map((f) => f.severity)).toEqual([
      'critical',
    ]);
  });
});
