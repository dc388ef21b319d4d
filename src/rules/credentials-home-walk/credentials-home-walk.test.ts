import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { credentialsHomeWalk as rule } from './credentials-home-walk.js';

const home = call('os.homedir', 'os', at('a.js', 2));
const list = call('fs.readdirSync', 'filesystem-read', at('a.js', 5));
const read = call('fs.readFileSync', 'filesystem-read', at('a.js', 7));
const send = call('fetch', 'network', at('a.js', 12), ['https://collector.invalid']);
const path = (value: string, category: string): CodeFact => ({
  kind: 'sensitive-path',
  value,
  category,
  at: at('a.js', 3),
});

describe('credentials-home-walk', () => {
  it('reports a home walk for one kind of secret file that sends, at medium, with both ends', () => {
    const findings = rule.run(packageFacts({ code: [home, path('.env', 'dotenv'), list, read, send] }));
    expect(findings).toEqual([expect.objectContaining({ confidence: 'medium' })]);
    expect(findings[0]?.source?.line).toBe(2);
    expect(findings[0]?.sink?.line).toBe(5);
  });

  it('is high confidence for several kinds', () => {
    const code = [home, path('.env', 'dotenv'), path('.ssh', 'ssh'), list, read, send];
    expect(rule.run(packageFacts({ code }))[0]?.confidence).toBe('high');
  });

  it('counts process.env.HOME as the start and an archive library as the way out', () => {
    const envHome: CodeFact = { kind: 'env-read', key: 'HOME', at: at('a.js', 1) };
    const zip: CodeFact = {
      kind: 'import',
      module: 'archiver',
      dynamic: false,
      computed: false,
      at: at('a.js', 1),
    };
    expect(
      rule.run(packageFacts({ code: [envHome, zip, path('.npmrc', 'npmrc'), list, read] })),
    ).toHaveLength(1);
  });

  it.each([
    ['nothing is sent', [home, path('.env', 'dotenv'), list, read]],
    ['no secret file is named', [home, list, read, send]],
    ['no folder is listed', [home, path('.env', 'dotenv'), read, send]],
  ])('is silent when %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});

describe('credentials-home-walk in a bundle', () => {
  it('is silent when the parts are far apart (a config loader and a file watcher in one bundle)', () => {
    const far = call('fs.readdirSync', 'filesystem-read', at('a.js', 5000));
    const code = [home, path('.env', 'dotenv'), path('.ssh', 'ssh'), far, read, send];
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
