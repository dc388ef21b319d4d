import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { evasionMonitorToolCheck as rule } from './evasion-monitor-tool-check.js';

const list = (file: string, detail = 'monitoring tools: htop, vmstat, iostat'): CodeFact => ({
  kind: 'shape',
  shape: 'monitor-tool-list',
  detail,
  at: at(file, 3),
});

describe('evasion-monitor-tool-check', () => {
  it.each([['ps -A -o comm'], ['tasklist /fo csv'], ['pgrep -l .']])(
    'reports a monitor list checked against %s as a chain',
    (command) => {
      const findings = rule.run(
        packageFacts({
          code: [call('child_process.execSync', 'process', at('a.js', 5), [command]), list('a.js')],
        }),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ severity: 'high', confidence: 'medium', line: 3 });
      expect(findings[0]?.source?.line).toBe(5);
    },
  );

  it('counts the ps-list module as a process listing', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          { kind: 'import', module: 'ps-list', dynamic: false, computed: false, at: at('a.js') },
          list('a.js'),
        ],
      }),
    );
    expect(findings[0]?.confidence).toBe('medium');
  });

  it('grades a list with no process listing in its file as weak', () => {
    const findings = rule.run(
      packageFacts({
        code: [call('child_process.execSync', 'process', at('b.js'), ['ps -A']), list('a.js')],
      }),
    );
    expect(findings.map((f) => [f.severity, f.confidence])).toEqual([['medium', 'low']]);
  });

  it('is silent for a process listing without a monitor list (process managers)', () => {
    expect(
      rule.run(packageFacts({ code: [call('child_process.execSync', 'process', at('a.js'), ['ps aux'])] })),
    ).toEqual([]);
  });

  it('does not take words that merely contain ps for a listing', () => {
    const findings = rule.run(
      packageFacts({
        code: [call('child_process.execSync', 'process', at('a.js'), ['npm run apps'])],
        files: undefined,
      }),
    );
    expect(findings).toEqual([]);
    const withList = rule.run(
      packageFacts({
        code: [call('child_process.execSync', 'process', at('a.js'), ['npm run apps']), list('a.js')],
      }),
    );
    expect(withList.map((f) => f.confidence)).toEqual(['low']);
  });

  it('takes a process lister kept in the same string table as the listing (obfuscated payloads)', () => {
    const tabled = list('a.js', 'monitoring tools: htop, vmstat, iostat (beside ps)');
    expect(rule.run(packageFacts({ code: [tabled] })).map((f) => [f.severity, f.confidence])).toEqual([
      ['high', 'medium'],
    ]);
  });
});
