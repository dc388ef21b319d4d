import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/** Dependency-confusion packages publish a version high enough to beat any private one. */
const CONFUSION_MAJOR = 99;

export const metadataVersionJump = defineRule({
  id: 'metadata-version-jump',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'high',
    confidence: 'medium',
    description: 'First version 99.x or a jump of several majors: the dependency-confusion signature',
    references: [
      'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610',
      'https://snyk.io/blog/detect-prevent-dependency-confusion-attacks-npm-supply-chain-security/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const hooks = Object.keys(facts.manifest.installScripts);
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'version-jump') continue;
      const major = signal.previous === undefined ? signal.majors : Number(signal.version.split('.')[0]);
      const from = signal.previous === undefined ? 'as the first version' : `after ${signal.previous}`;
      if (major >= CONFUSION_MAJOR) {
        // A defensive placeholder has no hook; Birsan-style probes phone home from one.
        const armed = hooks.length > 0;
        report({
          message: `published ${signal.version} ${from}${armed ? `, with install hook ${hooks.join(', ')}` : ''}`,
          at: location('package.json'),
          confidence: armed ? 'high' : 'medium',
        });
      } else {
        report({
          message: `jumps ${signal.majors} major versions to ${signal.version} ${from}`,
          at: location('package.json'),
          severity: 'medium',
          confidence: 'low',
        });
      }
    }
  },
});
