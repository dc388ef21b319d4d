import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { exfilCovertHeader as rule } from './exfil-covert-header.js';

const header = shape('covert-header', 'CF-Ray header set from a computed value', at('a.js', 3));
const fetchCall = call('fetch', 'network', at('a.js', 2), ['https://x.invalid']);

describe('exfil-covert-header', () => {
  it('reports a computed CF-Ray header in a file that sends requests', () => {
    expect(rule.run(packageFacts({ code: [fetchCall, header] }))).toEqual([
      expect.objectContaining({ confidence: 'medium', line: 3 }),
    ]);
  });

  it('is high confidence when a wallet secret is sent in the same file', () => {
    const secret = shape('secret-to-network', 'secretKey sent by fetch', at('a.js', 2));
    expect(rule.run(packageFacts({ code: [fetchCall, header, secret] }))[0]?.confidence).toBe('high');
  });

  it('counts an imported HTTP client as sending', () => {
    const axios = {
      kind: 'import',
      module: 'axios',
      dynamic: false,
      computed: false,
      at: at('a.js', 1),
    } as const;
    expect(rule.run(packageFacts({ code: [axios, header] }))).toHaveLength(1);
  });

  it('is silent in a file that sends nothing (a response mock in a test helper)', () => {
    expect(rule.run(packageFacts({ code: [header] }))).toEqual([]);
  });
});
