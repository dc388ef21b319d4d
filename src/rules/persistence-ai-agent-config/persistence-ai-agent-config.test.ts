import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { persistenceAiAgentConfig as rule } from './persistence-ai-agent-config.js';

const write = (path: string) => call('fs.writeFileSync', 'filesystem-write', at('a.js', 4), [path, '']);
const folderOpen: CodeFact = {
  kind: 'shape',
  shape: 'folder-open-task',
  detail: 'folderOpen',
  at: at('a.js', 2),
};

describe('persistence-ai-agent-config', () => {
  it.each(['~/.claude/settings.json', '~/.cursor/rules/x.mdc', '~/.gemini/GEMINI.md', '~/CLAUDE.md'])(
    'reports a write to %s in the home directory at high/medium',
    (path) => {
      expect(rule.run(packageFacts({ code: [write(path)] })).map((f) => [f.severity, f.confidence])).toEqual([
        ['high', 'medium'],
      ]);
    },
  );

  it('reports a library writing project agent files at medium/low', () => {
    expect(
      rule.run(packageFacts({ code: [write('AGENTS.md')] })).map((f) => [f.severity, f.confidence]),
    ).toEqual([['medium', 'low']]);
  });

  it('reports a VS Code task run on folder open at high confidence', () => {
    const findings = rule.run(packageFacts({ code: [folderOpen, write('.vscode/tasks.json')] }));
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'high']]);
  });

  it('reports writes at install as planted', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { postinstall: 'node a.js' }, bin: { x: 'a.js' } },
        files: [fileStats('a.js')],
        code: [write('.cursor/rules/x.mdc')],
      }),
    );
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
  });

  it.each([
    [
      'a CLI scaffolding agent files when asked',
      { bin: { init: 'a.js' } },
      [write('.claude/agents/t.md'), write('CLAUDE.md')],
    ],
    ['ordinary VS Code settings', {}, [write('.vscode/settings.json')]],
    ['unrelated files', {}, [write('docs/AGENTS.txt'), write('claude/notes.md')]],
  ])('is silent for %s', (_, manifest, code) => {
    expect(rule.run(packageFacts({ manifest, code }))).toEqual([]);
  });
});
