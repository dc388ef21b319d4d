import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { credentialKind, credentialFileRead as rule } from './credential-file-read.js';

const sensitive = (value: string, line: number): CodeFact => ({
  kind: 'sensitive-path',
  value,
  category: 'credentials',
  at: at('index.js', line),
});

describe('credential-file-read', () => {
  it.each([
    ['~/.ssh/id_rsa', 'SSH keys'],
    ['/home/u/.npmrc', 'npm token'],
    ['.aws/credentials', 'AWS credentials'],
    ['C:\\Users\\u\\.docker\\config.json', 'Docker credentials'],
    ['/etc/shadow', 'system passwords'],
    ['.config/solana/id.json', 'Solana wallet'],
    ['Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn', 'crypto wallet'],
  ])('knows %s as %s', (path, kind) => {
    expect(credentialKind(path)?.name).toBe(kind);
  });

  it.each(['src/ssh.js', '.npmrc.example', '/etc/hosts', 'README.md'])(
    'does not take %s for a credential',
    (path) => {
      expect(credentialKind(path)).toBeUndefined();
    },
  );

  it('reports a harvester (several kinds, with a read) at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          call('fs.readFileSync', 'filesystem-read', at('index.js', 5)),
          sensitive('~/.ssh/id_rsa', 3),
          str('.aws/credentials', at('index.js', 4), 'concat'),
        ],
      }),
    );
    expect(findings.map((f) => [f.line, f.confidence])).toEqual([
      [3, 'high'],
      [4, 'high'],
    ]);
  });

  it('does not call two kinds far apart in one bundle a harvester', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          call('fs.readFileSync', 'filesystem-read', at('index.js', 5)),
          sensitive('/home/u/.npmrc', 29_685),
          sensitive('/etc/shadow', 76_732),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['low', 'medium']);
  });

  it('reports one tool config (.npmrc) at low confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [call('fs.readFileSync', 'filesystem-read', at('index.js', 2), ['/home/u/.npmrc'])],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.confidence).toBe('low');
  });

  it('is silent when the path is only mentioned (no read in that file)', () => {
    const facts = packageFacts({
      code: [sensitive('~/.ssh/id_rsa', 3), call('fs.readFileSync', 'filesystem-read', at('other.js', 1))],
    });
    expect(rule.run(facts)).toEqual([]);
  });
});
