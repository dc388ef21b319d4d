import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { obfuscationPackedFile as rule } from './obfuscation-packed-file.js';

const packer: CodeFact = {
  kind: 'shape',
  shape: 'packer-signature',
  detail: 'function(p,a,c,k,e,d)',
  at: at('a.js', 1),
};
const dense: CodeFact = {
  kind: 'obfuscation',
  signal: 'high-entropy-line',
  detail: '90000 characters at 6.01 bits/char',
  at: at('a.js', 2),
};
const dynamicEval = call('eval', 'eval', at('a.js', 3), ['']);

describe('obfuscation-packed-file', () => {
  it('reports the packer signature at medium confidence', () => {
    expect(rule.run(packageFacts({ code: [packer] })).map((f) => [f.message, f.confidence])).toEqual([
      ['a.js is packed: function(p,a,c,k,e,d) unpacker', 'medium'],
    ]);
  });

  it('reports a dense line beside eval of a computed string at low confidence, as a chain', () => {
    const findings = rule.run(packageFacts({ code: [dense, dynamicEval] }));
    expect(findings.map((f) => [f.confidence, f.source?.line, f.sink?.line])).toEqual([['low', 2, 3]]);
  });

  it('reports a large JavaScript file that does not parse', () => {
    const files = [
      fileStats('payload.js', {
        bytes: 400_000,
        parsed: false,
        parseError: 'syntax: Unexpected token (1:9)',
      }),
    ];
    expect(rule.run(packageFacts({ files })).map((f) => [f.message, f.severity, f.confidence])).toEqual([
      ['payload.js (391 KiB) is not valid JavaScript: syntax: Unexpected token (1:9)', 'medium', 'low'],
    ]);
  });

  it.each([
    ['a dense line (inline source map) without eval', { code: [dense] }],
    [
      'eval of a constant beside a dense line',
      { code: [dense, call('eval', 'eval', at('a.js', 3), ['1+1'])] },
    ],
    [
      'a small file that does not parse (Flow types)',
      { files: [fileStats('a.flow.js', { bytes: 300, parsed: false, parseError: 'syntax: x' })] },
    ],
    [
      'a large non-JavaScript file',
      {
        files: [
          fileStats('data.bin', {
            bytes: 400_000,
            parsed: false,
            parseError: 'not parsed (statistics only)',
          }),
        ],
      },
    ],
  ])('is silent for %s', (_, input) => {
    expect(rule.run(packageFacts(input))).toEqual([]);
  });
});
