import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { networkDnsChannel as rule } from './network-dns-channel.js';

const txt = call('dns.resolveTxt', 'dns', at('a.js', 2), ['payload.invalid']);

describe('network-dns-channel', () => {
  it('reports a TXT lookup next to eval at high confidence, with both ends', () => {
    const findings = rule.run(packageFacts({ code: [txt, call('eval', 'eval', at('a.js', 6), [''])] }));
    expect(findings).toEqual([expect.objectContaining({ confidence: 'high', line: 6 })]);
    expect(findings[0]?.source?.line).toBe(2);
  });

  it('reports a TXT lookup next to a process spawn at medium confidence', () => {
    const spawn = call('child_process.exec', 'process', at('a.js', 5), ['']);
    expect(rule.run(packageFacts({ code: [txt, spawn] })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports encoded labels', () => {
    const label = shape(
      'dns-encoded-label',
      'dns.lookup of a host name built from encoded data',
      at('a.js', 3),
    );
    expect(rule.run(packageFacts({ code: [label] }))).toHaveLength(1);
  });

  it('is silent for a TXT lookup far from an eval, and for a lookup alone', () => {
    expect(rule.run(packageFacts({ code: [txt, call('eval', 'eval', at('a.js', 300), [''])] }))).toEqual([]);
    expect(rule.run(packageFacts({ code: [txt] }))).toEqual([]);
  });

  it('is silent for an A lookup next to eval', () => {
    const lookup = call('dns.lookup', 'dns', at('a.js', 2), ['example.invalid']);
    expect(rule.run(packageFacts({ code: [lookup, call('eval', 'eval', at('a.js', 3), [''])] }))).toEqual([]);
  });
});

describe('network-dns-channel on one minified line', () => {
  it('is silent when the eval is far along the same line', () => {
    const lookup = call('dns.resolveTxt', 'dns', at('m.js', 1, 10), ['x.invalid']);
    const run = call('eval', 'eval', at('m.js', 1, 900_000), ['']);
    expect(rule.run(packageFacts({ code: [lookup, run] }))).toEqual([]);
  });
});
