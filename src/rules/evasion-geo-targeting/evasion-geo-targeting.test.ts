import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, url } from '../rule-test-kit.js';
import { evasionGeoTargeting as rule } from './evasion-geo-targeting.js';

const check: CodeFact = {
  kind: 'shape',
  shape: 'country-check',
  detail: "compares with 'Russia'",
  at: at('a.js', 6),
};

describe('evasion-geo-targeting', () => {
  it('reports geolocation, a country test and a file write at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          url('https://api.ipgeolocation.io.invalid/ipgeo?apiKey=FIXTURE', at('a.js', 2)),
          check,
          call('fs.writeFileSync', 'filesystem-write', at('a.js', 8)),
        ],
      }),
    );
    expect(findings.map((f) => [f.confidence, f.source?.line, f.line])).toEqual([['high', 2, 6]]);
  });

  it('is medium without a write or command', () => {
    const findings = rule.run(packageFacts({ code: [url('http://ip-api.com/json', at('a.js', 2)), check] }));
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it.each([
    ['geolocation without a country test', [url('https://ipinfo.io/json', at('a.js'))]],
    ['a country test without geolocation', [check]],
    ['an unrelated host', [url('https://example-geo.invalid/json', at('a.js')), check]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code: code as CodeFact[] }))).toEqual([]);
  });

  it('reads a geolocation URL and country names hidden as base64 (node-ipc), high when both are hidden', () => {
    const tell = (detail: string): CodeFact => ({
      kind: 'shape',
      shape: 'encoded-tell',
      detail,
      at: at('a.js', 3),
    });
    const findings = rule.run(
      packageFacts({
        code: [
          tell('base64 ipgeolocation.io: https://api.ipgeolocation.io.invalid/ipgeo?apiKey=FIXTURE'),
          tell('base64 russia: russia'),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['high']);
    const halfHidden = rule.run(
      packageFacts({ code: [url('https://ipinfo.io/json', at('a.js', 2)), tell('base64 russia: russia')] }),
    );
    expect(halfHidden.map((f) => f.confidence)).toEqual(['medium']);
  });
});
