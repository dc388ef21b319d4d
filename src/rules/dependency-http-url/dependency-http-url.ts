import { defineRule } from '../define-rule.js';
import { hostForMatching, hostIs, isLocalIpv4, location, parseIpv4 } from '../fact-queries.js';

/** Code forges and registries whose tarball URLs legitimate packages pin to. */
const KNOWN_HOSTS = [
  'github.com',
  'codeload.github.com',
  'gitlab.com',
  'bitbucket.org',
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'npm.pkg.github.com',
  'pkg.pr.new',
];

export const dependencyHttpUrl = defineRule({
  id: 'dependency-http-url',
  meta: {
    kind: 'threat',
    category: 'supply-chain',
    severity: 'high',
    confidence: 'medium',
    description:
      'A dependency is fetched from an arbitrary URL instead of the registry (remote dynamic dependency)',
    references: [
      'https://www.koi.ai/blog/phantomraven-npm-malware-hidden-in-invisible-dependencies',
      'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#urls-as-dependencies',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const { name, spec } of facts.manifest.remoteDependencies) {
      let url: URL;
      try {
        url = new URL(spec.trim());
      } catch {
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      const host = hostForMatching(url.hostname);
      if (KNOWN_HOSTS.some((known) => hostIs(host, known))) continue;
      const ip = parseIpv4(host);
      if (ip && isLocalIpv4(ip)) continue;
      // Plain HTTP or a bare address: npm installs whatever answers, with no integrity in the package.json.
      const blatant = url.protocol === 'http:' || ip !== undefined;
      report({
        message: `dependency "${name}" is fetched from ${url.protocol}//${host}${url.pathname.slice(0, 40)}, outside the registry`,
        at: location('package.json'),
        confidence: blatant ? 'high' : 'medium',
      });
    }
  },
});
