import { classifyInstallScript } from '../../analysis/manifest/install-script.js';
import type { PackageFacts } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { filesRunByInstallScripts, isCallIn, location } from '../fact-queries.js';

/** What the package does at install: nothing, only known build helpers, something, or something networked. */
const installReach = (facts: PackageFacts): 'none' | 'benign' | 'runs' | 'network' => {
  const hooks = Object.entries(facts.manifest.installScripts);
  if (hooks.length === 0) return 'none';
  const files = new Map(facts.files.map((file) => [file.file, file]));
  const classified = hooks.map(([hook, command]) => classifyInstallScript(hook, command, files));
  const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
  const networked =
    classified.some((fact) => fact.signals.some((s) => s === 'download' || s === 'network-tool')) ||
    facts.code.some((fact) => installFiles.has(fact.at.file) && isCallIn(fact, ['network', 'dns']));
  if (networked) return 'network';
  return classified.every((fact) => fact.benign !== undefined && fact.benign !== 'node-install-file')
    ? 'benign'
    : 'runs';
};

export const metadataTyposquatName = defineRule({
  id: 'metadata-typosquat-name',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'medium',
    confidence: 'medium',
    description:
      "The package's name imitates a popular package (typo, look-alike letters, separators, affixes)",
    references: [
      'https://blog.phylum.io/typosquatting-on-npm/',
      'https://socket.dev/blog/60-malicious-npm-packages-leak-network-and-host-data',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'typosquat') continue;
      const { target, kind, distance } = signal.match;
      const how =
        kind === 'edit-distance'
          ? `${distance} edit(s) from`
          : kind === 'brand'
            ? 'a generic word added to'
            : `a ${kind} look-alike of`;
      const reach = installReach(facts);
      // A look-alike name alone is weak; one that runs code at install is the typosquat attack
      // shape. Two edits apart is a weaker look-alike (`cypress` / `express`): one grade lower. A
      // generic word beside a brand (`plain-crypto-js`) is weaker still: owners name their own
      // helpers that way (`eslint-utils`), so it is never decisive and alone barely counts.
      const far = kind === 'edit-distance' && distance >= 2;
      const grade =
        kind === 'brand'
          ? reach === 'network'
            ? ({ severity: 'medium', confidence: 'medium' } as const)
            : reach === 'runs'
              ? ({ severity: 'medium', confidence: 'low' } as const)
              : ({ severity: 'low', confidence: 'low' } as const)
          : reach === 'network'
            ? far
              ? ({ severity: 'high', confidence: 'medium' } as const)
              : ({ severity: 'high', confidence: 'high' } as const)
            : reach === 'runs'
              ? far
                ? ({ severity: 'medium', confidence: 'medium' } as const)
                : ({ severity: 'high', confidence: 'medium' } as const)
              : far
                ? ({ confidence: 'low' } as const)
                : {};
      const tail =
        reach === 'network'
          ? ' and reaches the network at install'
          : reach === 'runs'
            ? ' and runs code at install'
            : '';
      report({
        message: `"${signal.match.name}" is ${how} the popular package "${target}"${tail}`,
        at: location('package.json'),
        ...grade,
      });
    }
  },
});
