import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, filesRunByInstallScripts, isCallIn, textsOf } from '../fact-queries.js';

/** Files an AI coding agent or editor reads as instructions or runs on its own. */
export const AGENT_CONFIG =
  /(?:^|[\\/~])\.(?:claude|gemini|codex|windsurf|cursor[\\/](?:rules|mcp\.json))(?:[\\/]|$)|(?:^|[\\/~])\.cursorrules$|(?:^|[\\/])(?:CLAUDE|AGENTS|GEMINI)\.md$|\.claude\.json$/;
const EDITOR_TASKS = /\.vscode[\\/](?:tasks|settings)\.json$/;
/** Folded paths under the home directory (`os.homedir()` folds to `~`). */
export const IN_HOME = /^(?:~|\$HOME|%USERPROFILE%)(?:[\\/]|$)/;

const writtenPaths = (facts: readonly CodeFact[]): { path: string; fact: CodeFact }[] =>
  facts
    .filter((fact) => isCallIn(fact, ['filesystem-write']))
    .flatMap((fact) => textsOf(fact).map((text) => ({ path: text.split(/\s/)[0] ?? '', fact })));

export const persistenceAiAgentConfig = defineRule({
  id: 'persistence-ai-agent-config',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'medium',
    description:
      'Writes AI agent or editor configuration (~/.claude/, .cursor/rules, CLAUDE.md, AGENTS.md, auto-run .vscode tasks)',
    references: [
      'https://www.stepsecurity.io/blog/supply-chain-security-alert-popular-nx-build-system-package-compromised-with-data-stealing-malware',
      'https://attack.mitre.org/techniques/T1546/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    // A package with a CLI may scaffold agent files into the project it is run in when asked
    // (`playwright init-agents`); a library has no reason to.
    const scaffolder = Object.keys(facts.manifest.bin).length > 0;
    for (const [file, fileFacts] of factsByFile(facts)) {
      const writes = writtenPaths(fileFacts);
      if (writes.length === 0) continue;
      const atInstall = installFiles.has(file);
      const autoRun = fileFacts.some((fact) => fact.kind === 'shape' && fact.shape === 'folder-open-task');
      let direct = false;
      for (const { path, fact } of writes) {
        if (AGENT_CONFIG.test(path)) {
          direct = true;
          // The user's own agent settings, or any at install, are planted; a path relative to the
          // working directory is what `init`-style CLIs (playwright init-agents) scaffold.
          const planted = IN_HOME.test(path) || atInstall;
          if (!planted && scaffolder) continue;
          report({
            message: `${file} writes agent configuration ${path.slice(0, 100)}`,
            at: fact.at,
            severity: planted ? 'high' : 'medium',
            confidence: planted ? 'medium' : 'low',
          });
        } else if (EDITOR_TASKS.test(path) && (autoRun || atInstall))
          report({
            message: `${file} writes ${path.slice(0, 100)}${autoRun ? ' with a task run on folder open' : ' at install'}`,
            at: fact.at,
            confidence: autoRun ? 'high' : 'medium',
          });
      }
      if (direct) continue;
      // The path is kept in a variable: named in the file, written through another call.
      const named = fileFacts.find((fact) => fact.kind === 'sensitive-path' && AGENT_CONFIG.test(fact.value));
      if (named?.kind !== 'sensitive-path') continue;
      const planted = IN_HOME.test(named.value) || atInstall;
      if (planted || !scaffolder)
        report({
          message: `${file} names agent configuration ${named.value.slice(0, 100)} and writes files`,
          at: named.at,
          severity: planted ? 'high' : 'medium',
          confidence: 'low',
        });
    }
  },
});
