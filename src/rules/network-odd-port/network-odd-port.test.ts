import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { networkOddPort as rule } from './network-odd-port.js';

const urlFact = (value: string, range?: Extract<CodeFact, { kind: 'url' }>['range']): CodeFact => ({
  kind: 'url',
  value,
  host: new URL(value).hostname,
  ...(range ? { range } : {}),
  at: at('a.js', 1),
});

describe('network-odd-port', () => {
  it.each([
    ['http://c2.evil-host.com:3306/ping', 'MySQL'],
    ['ws://c2-fixture.invalid:27017', 'MongoDB'],
    ['https://update-check.io:1244/keys', 'BeaverTail C2'],
  ])('reports %s', (value, service) => {
    const range = value.includes('.invalid') ? 'reserved-name' : undefined;
    const findings = rule.run(packageFacts({ code: [urlFact(value, range)] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(service);
  });

  it.each([
    ['http://203.0.113.9:3306/', undefined],
    ['http://127.0.0.1:6379', 'loopback'],
    ['mongodb://db.mycorp.com:27017/app', undefined],
    ['http://redis:6379', undefined],
    ['http://api.mycorp.com:8080/', undefined],
    ['http://db.example.com:5432', 'reserved-name'],
  ] as const)('is silent for %s', (value, range) => {
    expect(rule.run(packageFacts({ code: [urlFact(value, range)] }))).toEqual([]);
  });
});
