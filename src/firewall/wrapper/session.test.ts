import { describe, expect, it } from 'vitest';
import { newSessionId, sessionPrefix, sessionRegistryUrl } from './session.js';

describe('session marker', () => {
  it('encodes project and session as base64url JSON in one path segment', () => {
    const prefix = sessionPrefix({ project: '/home/me/app ü', session: 's1' });
    const match = /^\/-\/bulwark\/p\/([A-Za-z0-9_-]+)\/$/.exec(prefix);
    expect(match).not.toBeNull();
    expect(JSON.parse(Buffer.from(match![1]!, 'base64url').toString('utf8'))).toEqual({
      project: '/home/me/app ü',
      session: 's1',
    });
  });

  it('appends the prefix to the firewall URL with exactly one slash', () => {
    const url = sessionRegistryUrl('http://127.0.0.1:9/', { project: '/p', session: 'x' });
    expect(url.startsWith('http://127.0.0.1:9/-/bulwark/p/')).toBe(true);
    expect(url.endsWith('/')).toBe(true);
  });

  it('gives each run a different id', () => {
    const ids = new Set(Array.from({ length: 50 }, newSessionId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
