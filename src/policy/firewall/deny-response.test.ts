import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { denyResponse, RULE_HEADER } from './deny-response.js';
import { defaultPolicy } from './load.js';

const NOW = new Date('2026-11-28T12:00:00Z');

describe('denyResponse', () => {
  it('names package, version, rule, reason and how to waive, in the reason phrase and the body', () => {
    const decision = decide(
      defaultPolicy(),
      {
        name: '@evil/pkg',
        version: '1.0.1',
        publishedAt: '2026-01-01T00:00:00Z',
        malware: [{ id: 'MAL-2026-9' }],
      },
      NOW,
    );
    const response = denyResponse('@evil/pkg', '1.0.1', decision, 'firewall.yaml');
    expect(response.status).toBe(403);
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      [RULE_HEADER]: 'malware',
      'cache-control': 'no-store',
    });
    expect(response.statusMessage).toBe(
      'Forbidden - bulwark firewall blocked @evil/pkg@1.0.1 (malware): known malware: MAL-2026-9',
    );
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      error:
        'bulwark firewall blocked @evil/pkg@1.0.1 (malware): known malware: MAL-2026-9; to waive, add to firewall.yaml: ' +
        'exceptions: [{package: "@evil/pkg", versions: "1.0.1", rules: [malware], allowMalware: true, reason: "...", expires: YYYY-MM-DD}]',
      package: '@evil/pkg',
      version: '1.0.1',
      rule: 'malware',
      reason: 'known malware: MAL-2026-9',
      waivable: true,
    });
  });

  it('prints what npm shows: status, reason phrase and body.error on one line', () => {
    const decision = decide(
      defaultPolicy(),
      { name: 'fresh', version: '2.0.0', publishedAt: new Date(NOW.getTime() - 600_000) },
      NOW,
    );
    const response = denyResponse('fresh', '2.0.0', decision);
    // npm-registry-fetch: `${status} ${statusText} - ${METHOD} ${url} - ${body.error}`
    const npmLine = `403 ${response.statusMessage} - GET http://127.0.0.1:4873/fresh/-/fresh-2.0.0.tgz - ${JSON.parse(response.body).error}`;
    expect(npmLine).not.toContain('\n');
    expect(npmLine).toContain('fresh@2.0.0 (minimumReleaseAge): published 10 min ago');
    expect(npmLine).toContain('to waive, add to the firewall policy: exceptions: [{package: "fresh"');
    expect(response.headers[RULE_HEADER]).toBe('minimumReleaseAge');
  });

  it('keeps the reason phrase to printable ASCII on one line', () => {
    const decision = decide(
      defaultPolicy(),
      { name: 'x', version: '1.0.0', publishedAt: '2026-01-01T00:00:00Z', deprecated: 'use “y”\r\nnow' },
      NOW,
    );
    const response = denyResponse('x', '1.0.0', { ...decision, action: 'deny' });
    expect(response.statusMessage).toMatch(/^[\x20-\x7e]+$/);
    expect(response.statusMessage).toContain('deprecated: use y now');
  });

  it('says when a denial cannot be waived', () => {
    const decision = decide(defaultPolicy(), { name: 'gone', version: '1.0.0', unpublished: true }, NOW);
    expect(JSON.parse(denyResponse('gone', '1.0.0', decision).body).error).toContain('this cannot be waived');
  });
});
