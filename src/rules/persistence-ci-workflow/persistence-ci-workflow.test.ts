import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { persistenceCiWorkflow as rule } from './persistence-ci-workflow.js';

const shape = (name: string, detail = 'x'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('a.js', 2),
});
const writeWorkflow = call('fs.writeFileSync', 'filesystem-write', at('a.js', 5), [
  '.github/workflows/d.yaml',
  '',
]);

describe('persistence-ci-workflow', () => {
  it('reports a discussion-triggered workflow write at high severity and confidence', () => {
    const findings = rule.run(packageFacts({ code: [writeWorkflow, shape('workflow-discussion-trigger')] }));
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'high']]);
  });

  it('reports a workflow written by a library at medium severity, low confidence', () => {
    expect(rule.run(packageFacts({ code: [writeWorkflow] })).map((f) => [f.severity, f.confidence])).toEqual([
      ['medium', 'low'],
    ]);
  });

  it('reports a workflow written at install at high severity, medium confidence', () => {
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { preinstall: 'node a.js' }, bin: { x: 'a.js' } },
        files: [fileStats('a.js')],
        code: [writeWorkflow],
      }),
    );
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
  });

  it('is silent for a CLI scaffolding a workflow when asked', () => {
    expect(rule.run(packageFacts({ manifest: { bin: { init: 'a.js' } }, code: [writeWorkflow] }))).toEqual(
      [],
    );
  });

  it('reports runner registration only beside a process spawn', () => {
    const registration = shape('runner-registration', 'actions/runners/registration-token');
    expect(rule.run(packageFacts({ code: [registration] }))).toEqual([]);
    const findings = rule.run(
      packageFacts({
        code: [registration, call('child_process.execSync', 'process', at('a.js', 9), ['./config.sh'])],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports a discussion trigger with a runner registration even when writes are hidden', () => {
    const findings = rule.run(
      packageFacts({ code: [shape('runner-registration'), shape('workflow-discussion-trigger')] }),
    );
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['high', 'high']]);
    expect(rule.run(packageFacts({ code: [shape('workflow-discussion-trigger')] }))).toEqual([]);
  });
});
