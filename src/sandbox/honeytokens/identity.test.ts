import { describe, expect, it } from 'vitest';
import { IDENTITY_WORDS, pickIdentity } from './identity.js';
import { seededRandom } from './random.js';
import { TELLTALES } from './telltale.js';

const BANNED = [...TELLTALES, 'box', 'vm', 'analysis', 'malware', 'user', 'root'];

describe('pickIdentity', () => {
  it('draws a coherent Linux developer', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const id = pickIdentity(seededRandom(seed));
      expect(id.user).toMatch(/^[a-z][a-z0-9]{1,30}$/);
      expect(id.hostname).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
      expect(id.home).toBe(`/home/${id.user}`);
      expect(id.project.startsWith(`${id.home}/`)).toBe(true);
      expect(id.project.split('/')).toHaveLength(5);
      expect(id.otherProject).not.toBe(id.project);
      expect(id.fullName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      expect(id.email).toMatch(/^\d{8,9}\+[a-z-]+@users\.noreply\.github\.com$/);
      expect(id.email).toContain(id.githubLogin);
      const all =
        `${id.user} ${id.hostname} ${id.project} ${id.otherProject} ${id.fullName} ${id.email}`.toLowerCase();
      for (const word of [...TELLTALES, 'sandbox', 'honey']) expect(all).not.toContain(word.toLowerCase());
      expect(id.hostname).not.toMatch(/^box$|macbook/i);
    }
  });

  it('uses word lists free of tell-tale words', () => {
    for (const w of IDENTITY_WORDS)
      for (const b of BANNED) expect(w.toLowerCase()).not.toContain(b.toLowerCase());
  });

  it('varies between runs', () => {
    const users = new Set(
      Array.from({ length: 50 }, () => `${pickIdentity().user}@${pickIdentity().hostname}`),
    );
    expect(users.size).toBeGreaterThan(40);
  });
});
