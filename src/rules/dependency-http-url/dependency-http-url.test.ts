import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { dependencyHttpUrl as rule } from './dependency-http-url.js';

const withDependency = (spec: string) =>
  rule.run(packageFacts({ manifest: { remoteDependencies: [{ name: 'dep', spec }] } }));

describe('dependency-http-url', () => {
  it.each([
    ['http://packages.storeartifact.invalid/npm/unused-imports', 'high'],
    ['https://203.0.113.9/dep.tgz', 'high'],
    ['https://cdn.example-host.invalid/dep-1.0.0.tgz', 'medium'],
  ])('reports %s (%s confidence)', (spec, confidence) => {
    expect(withDependency(spec).map((f) => f.confidence)).toEqual([confidence]);
  });

  it.each([
    'https://github.com/user/repo/tarball/v1.0.0',
    'https://codeload.github.com/user/repo/tar.gz/main',
    'https://registry.npmjs.org/dep/-/dep-1.0.0.tgz',
    'git+https://example.invalid/repo.git',
    'github:user/repo',
    'file:../dep',
    'http://127.0.0.1:4873/dep.tgz',
  ])('leaves %s alone', (spec) => {
    expect(withDependency(spec)).toEqual([]);
  });
});
