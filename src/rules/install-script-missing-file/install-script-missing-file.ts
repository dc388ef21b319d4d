import { classifyInstallScript } from '../../analysis/manifest/install-script.js';
import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/** npm runs prepare hooks for git and local installs only, where the repository's files are present. */
const REGISTRY_INSTALL_HOOKS = new Set(['preinstall', 'install', 'postinstall']);
/** Paths outside the package: temp and home directories, absolute paths, parent directories. */
const OUTSIDE = /^(?:\/|~|\.\.\/|[A-Za-z]:[\\/]|%|\$)/;

export const installScriptMissingFile = defineRule({
  id: 'install-script-missing-file',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'medium',
    confidence: 'low',
    description: 'An install hook runs a file the package does not contain',
    references: [
      'https://docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-scripts',
      'https://github.com/DataDog/guarddog/blob/main/RULES.md',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const files = new Map(facts.files.map((file) => [file.file, file]));
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      if (!REGISTRY_INSTALL_HOOKS.has(hook)) continue;
      const classified = classifyInstallScript(hook, command, files);
      const downloads = classified.signals.includes('download');
      for (const missing of classified.missingFiles) {
        // A dependency's own installer (`node node_modules/x/install.js`) is present once deps are.
        if (missing.startsWith('node_modules/')) continue;
        const outside = OUTSIDE.test(missing);
        const grade = downloads
          ? ({ severity: 'high', confidence: 'high', what: 'downloads and runs' } as const)
          : outside
            ? ({ severity: 'high', confidence: 'medium', what: 'runs a file outside the package,' } as const)
            : /\|\|/.test(command)
              ? undefined
              : ({ severity: 'medium', confidence: 'low', what: 'runs a file the package lacks,' } as const);
        if (!grade) continue;
        report({
          message: `install hook "${hook}" ${grade.what} ${missing}: ${command.slice(0, 120)}`,
          at: location('package.json'),
          severity: grade.severity,
          confidence: grade.confidence,
        });
      }
    }
  },
});
