import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../policy/firewall/decide.js';
import { defaultPolicy } from '../policy/firewall/load.js';
import type { PolicyException } from '../policy/firewall/types.js';
import { defaultWaiverStorePath, openWaiverStore, validateWaiver, WaiverError } from './waiver-store.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-waivers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `case-${++counter}`, 'firewall', 'waivers.db');
const now = new Date('2026-11-28T12:00:00Z');

const problem = (input: unknown): string => {
  try {
    validateWaiver(input, now);
  } catch (error) {
    expect(error).toBeInstanceOf(WaiverError);
    return (error as Error).message;
  }
  throw new Error('expected the waiver to be refused');
};

describe('waiver validation', () => {
  it('accepts what a policy exception accepts and trims the reason', () => {
    expect(
      validateWaiver(
        {
          package: 'left-pad',
          versions: '^1.3.0',
          rules: ['installScripts'],
          reason: ' audited ',
          expires: '2026-12-31',
        },
        now,
      ),
    ).toEqual({
      package: 'left-pad',
      versions: '^1.3.0',
      rules: ['installScripts'],
      reason: 'audited',
      expires: '2026-12-31',
    });
    expect(validateWaiver({ scope: '@acme', reason: 'ours', expires: '2027-01-01' }, now)).toEqual({
      scope: '@acme',
      reason: 'ours',
      expires: '2027-01-01',
    });
  });

  it('refuses each kind of bad waiver with one line naming the field', () => {
    expect(problem('left-pad')).toBe('a waiver must be a JSON object');
    expect(problem([])).toBe('a waiver must be a JSON object');
    expect(problem({ package: 'x', expires: '2027-01-01' })).toBe('`reason` is required');
    expect(problem({ package: 'x', reason: 'r' })).toBe('`expires` is required');
    expect(problem({ reason: 'r', expires: '2027-01-01' })).toBe('needs exactly one of `package` or `scope`');
    expect(problem({ package: 'x', scope: '@y', reason: 'r', expires: '2027-01-01' })).toBe(
      'needs exactly one of `package` or `scope`',
    );
    expect(problem({ package: 'Not Valid', reason: 'r', expires: '2027-01-01' })).toBe(
      'package: must be a package name',
    );
    expect(problem({ package: 'x', reason: 'r', expires: '2027/01/01' })).toBe(
      'expires: must be a date written YYYY-MM-DD',
    );
    expect(problem({ package: 'x', reason: 'r', expires: '2027-02-30' })).toBe(
      'expires: "2027-02-30" is not a calendar date (YYYY-MM-DD)',
    );
    expect(problem({ package: 'x', reason: 'r', expires: '2026-11-28' })).toBe(
      'expires: 2026-11-28 is not after today (2026-11-28)',
    );
    expect(problem({ package: 'x', versions: 'not a range', reason: 'r', expires: '2027-01-01' })).toBe(
      'versions: "not a range" is not a semver range',
    );
    expect(problem({ package: 'x', rules: ['nope'], reason: 'r', expires: '2027-01-01' })).toMatch(
      /^rules\[0\]: must be one of malware, malicious,/,
    );
    expect(problem({ package: 'x', rules: ['malware'], reason: 'r', expires: '2027-01-01' })).toBe(
      'rules: waiving malware or a malicious verdict needs `allowMalware: true`',
    );
    expect(problem({ package: 'x', reason: '   ', expires: '2027-01-01' })).toBe('reason: must not be blank');
    expect(problem({ package: 'x', reason: 'r', expires: '2027-01-01', id: 'w-1' })).toMatch(
      /^unknown key "id" \(allowed: package, scope,/,
    );
  });
});

describe('waiver store', () => {
  it('lives beside the decision log', () => {
    expect(defaultWaiverStorePath({ BULWARK_HOME: '/data/bw' })).toBe('/data/bw/firewall/waivers.db');
  });

  it('adds, lists, removes, and keeps waivers across a restart', () => {
    const path = freshPath();
    const store = openWaiverStore(path, { now: () => now });
    expect(store.list()).toEqual([]);
    const a = store.add({ package: 'left-pad', reason: 'audited', expires: '2026-12-31' });
    const b = store.add({ scope: '@acme', rules: ['installScripts'], reason: 'ours', expires: '2027-06-01' });
    expect(a.id).toMatch(/^w-[0-9a-f]{10}$/);
    expect(b.id).not.toBe(a.id);
    expect(a).toEqual({
      id: a.id,
      createdAt: now.toISOString(),
      package: 'left-pad',
      reason: 'audited',
      expires: '2026-12-31',
      source: `waiver ${a.id}`,
    });
    expect(store.list().map((w) => w.id)).toEqual([a.id, b.id]);
    expect(store.list()[0]).toEqual(a);
    expect(() => store.add({ package: 'x', reason: 'r' } as PolicyException)).toThrow(WaiverError);
    expect(store.remove(a.id)).toBe(true);
    expect(store.remove(a.id)).toBe(false);
    expect(store.remove('w-unknown')).toBe(false);
    store.close();
    expect(() => store.list()).toThrow(/closed/);

    const reopened = openWaiverStore(path, { now: () => now });
    expect(reopened.list()).toEqual([b]);
    reopened.close();
  });

  it('sees waivers another process added to the same file', () => {
    const path = freshPath();
    const first = openWaiverStore(path, { now: () => now });
    const second = openWaiverStore(path, { now: () => now });
    expect(first.list()).toEqual([]);
    const added = second.add({ package: 'left-pad', reason: 'audited', expires: '2026-12-31' });
    expect(first.list().map((w) => w.id)).toEqual([added.id]);
    second.remove(added.id);
    expect(first.list()).toEqual([]);
    first.close();
    second.close();
  });

  it('gives exceptions the policy engine applies like a policy file exception', () => {
    const store = openWaiverStore(freshPath(), { now: () => now });
    const subject = { name: 'left-pad', version: '1.3.0', installScripts: ['postinstall'] };
    const policy = defaultPolicy();
    policy.rules.installScripts.action = 'deny';
    expect(decide(policy, subject, now).action).toBe('deny');
    const waiver = store.add({
      package: 'left-pad',
      versions: '1.x',
      reason: 'audited',
      expires: '2026-12-31',
    });
    const decision = decide({ ...policy, exceptions: store.list() }, subject, now);
    expect(decision.action).toBe('allow');
    expect(decision.waiver).toMatchObject({ id: waiver.id });
    store.close();
  });
});
