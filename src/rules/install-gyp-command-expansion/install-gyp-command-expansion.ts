import { splitCommand } from '../../analysis/manifest/install-script.js';
import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/** Build-time lookups node-gyp projects run: compilers, pkg-config, SDK paths, platform facts. */
const BUILD_TOOLS = new Set(
  (
    'node nodejs python python3 pkg-config echo uname xcrun xcode-select brew pwd cygpath which where ' +
    'cat test ls find gcc g++ clang cc getconf sysctl nproc grep sed awk cut head tr realpath dirname ' +
    'basename sh bash cmd perl icu-config llvm-config mysql_config pg_config'
  ).split(' '),
);
const REVERSE_SHELL = /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat)\b[^|;&]{0,80}\s-e\s/i;
/** What no build lookup does: reach the network, spawn, evaluate or decode a payload. */
const REACHES =
  /require\(\s*['"`](?:node:)?(?:https?|net|tls|dgram|dns|child_process)['"`]|\b(?:fetch|eval|atob|execSync|spawnSync|exec|spawn|WebSocket)\s*\(|new\s+Function\b|https?:\/\/|Buffer\.from\([^)]{0,200}base64|\b(?:curl|wget|Invoke-WebRequest|iwr|iex|DownloadString|base64\s+-d)\b|\bos\.(?:homedir|userInfo|hostname)\b|\.(?:ssh|npmrc|aws)\b/i;

type Grade = { severity: Severity; confidence: Confidence; what: string };

const grade = (command: string): Grade | undefined => {
  if (REVERSE_SHELL.test(command))
    return { severity: 'critical', confidence: 'high', what: 'opens a reverse shell' };
  if (REACHES.test(command))
    return { severity: 'high', confidence: 'high', what: 'reaches the network, spawns or evaluates code' };
  for (const part of splitCommand(command)) {
    const word = (part.split(/\s+/)[0] ?? '').replace(/^["']|["']$/g, '');
    const name = word
      .replace(/^.*[\\/]/, '')
      .replace(/\.exe$/i, '')
      .toLowerCase();
    // A script of the package itself (`./util/has_lib.sh`) is the package's own build logic.
    if (BUILD_TOOLS.has(name) || /^\.{1,2}\//.test(word)) continue;
    return { severity: 'medium', confidence: 'low', what: `runs ${name || 'a command'}, not a build lookup` };
  }
  return undefined;
};

export const installGypCommandExpansion = defineRule({
  id: 'install-gyp-command-expansion',
  meta: {
    kind: 'threat',
    category: 'install',
    severity: 'high',
    confidence: 'high',
    description:
      'A binding.gyp <!( ) command expansion, run by node-gyp at install, does more than a build lookup',
    references: [
      'https://gyp.gsrc.io/docs/InputFormatReference.md#command-expansions',
      'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#scripts',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const command of facts.manifest.bindingGyp?.commands ?? []) {
      const found = grade(command);
      if (!found) continue;
      report({
        message: `binding.gyp command expansion ${found.what}: ${command.slice(0, 120)}`,
        at: location('binding.gyp'),
        severity: found.severity,
        confidence: found.confidence,
      });
    }
  },
});
