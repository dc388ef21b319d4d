import { defineRule } from '../define-rule.js';
import { textsOf } from '../fact-queries.js';

/**
 * Windows binaries that load and run a DLL, HTA or script given to them: how a payload dropped as
 * `node-gyp.dll` runs (eslint-config-prettier, Jul 2025). Opening a URL through url.dll is what
 * browser-opener packages do and is left out.
 */
const LOLBIN =
  /(?:^|[\s;&|(`'"\\/])(rundll32|regsvr32|mshta|wscript|cscript)(?:\.exe)?["']?(?:\s+(?!"?url\.dll,|"?shell32\.dll,)\S|\s+$)/i;

export const processLolbinExec = defineRule({
  id: 'process-lolbin-exec',
  meta: {
    kind: 'threat',
    category: 'process',
    severity: 'high',
    confidence: 'medium',
    description: 'Runs a DLL, HTA or script through rundll32, regsvr32, mshta, wscript or cscript',
    references: [
      'https://attack.mitre.org/techniques/T1218/011/',
      'https://attack.mitre.org/techniques/T1218/005/',
      'https://socket.dev/blog/npm-phishing-campaign-leads-to-prettier-tooling-packages-compromise',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const shipsPe = facts.files.some((file) => file.binary === 'pe');
    const scripts = Object.entries(facts.manifest.installScripts).map(([hook, text]) => ({
      text,
      where: `scripts.${hook}`,
    }));
    const seen = [
      ...facts.code.flatMap((fact) => {
        // A call's arguments read as one command line: spawn('rundll32', [dll]).
        if (fact.kind === 'call')
          return [{ text: `${fact.args.join(' ')} `, at: fact.at, where: fact.at.file, call: true }];
        if (fact.kind === 'string' || (fact.kind === 'shape' && fact.shape === 'lolbin-command'))
          return textsOf(fact).map((text) => ({ text, at: fact.at, where: fact.at.file, call: false }));
        return [];
      }),
      ...scripts.map(({ text, where }) => ({ text, at: undefined, where, call: false })),
    ];
    for (const { text, at, where, call } of seen) {
      const match = LOLBIN.exec(text);
      if (!match) continue;
      // `spawn('rundll32', args)` with arguments that did not fold: browser openers pass url.dll
      // that way too, so it counts only beside a shipped Windows binary.
      if (call && /^\S+\s*$/.test(text) && !shipsPe) continue;
      report({
        message: `${where} runs ${match[1]?.toLowerCase()}: ${text.trim().slice(0, 100)}${shipsPe ? ' (the package ships a Windows binary)' : ''}`,
        ...(at ? { at } : {}),
        confidence: shipsPe ? 'high' : 'medium',
      });
    }
  },
});
