import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts, str, url } from '../rule-test-kit.js';
import { processLocalToolAbuse as rule } from './process-local-tool-abuse.js';

const run = (command: string) => call('child_process.execSync', 'process', at('a.js', 3), [command]);
const flag = (detail: string): CodeFact => ({
  kind: 'shape',
  shape: 'agent-bypass-flag',
  detail,
  at: at('a.js', 5),
});

describe('process-local-tool-abuse', () => {
  it.each([
    'claude --dangerously-skip-permissions -p "list files"',
    'gemini --yolo -p x',
    'q chat --trust-all-tools --no-interactive x',
    'codex exec --dangerously-bypass-approvals-and-sandbox x',
  ])('reports %s at high confidence', (command) => {
    expect(rule.run(packageFacts({ code: [run(command)] })).map((f) => f.confidence)).toEqual(['high']);
  });

  it('reports a bypass flag beside a spawn of an AI CLI as a chain', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          call('child_process.spawnSync', 'process', at('a.js', 3), ['claude', '', '']),
          flag('--dangerously-skip-permissions'),
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: 'medium' });
    expect(findings[0]?.source?.line).toBe(3);
  });

  it('reports a secret scanner run by a dependency', () => {
    expect(
      rule.run(packageFacts({ code: [run('trufflehog filesystem /')] })).map((f) => f.confidence),
    ).toEqual(['medium']);
  });

  it('reports a Bun download in an install file at low confidence', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { preinstall: 'node setup_bun.js' } },
        files: [fileStats('setup_bun.js')],
        code: [url('https://bun.sh/install', at('setup_bun.js', 2))],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['low']);
  });

  it.each([
    ['an AI CLI with ordinary flags', [run('claude --version')]],
    ['a bypass flag with no AI CLI spawn (the CLI itself)', [flag('--yolo'), run('git status --short')]],
    [
      'a scanner named in docs of a non-spawning file',
      [str('run trufflehog filesystem --json .', at('a.js'))],
    ],
    ['a Bun URL outside install files', [url('https://bun.sh/install', at('a.js'))]],
    ['a tool whose name merely contains an AI CLI name', [run('claudette --yolo')]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code: code as CodeFact[] }))).toEqual([]);
  });

  it('reports flags of several AI CLIs beside a spawn even when the CLI names do not fold (Nx)', () => {
    const spawn = call('child_process.spawnSync', 'process', at('a.js', 9), ['', '', '']);
    const two = [spawn, flag('--dangerously-skip-permissions'), flag('--yolo')];
    expect(rule.run(packageFacts({ code: two })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [spawn, flag('--dangerously-skip-permissions')] }))).toEqual([]);
  });
});
