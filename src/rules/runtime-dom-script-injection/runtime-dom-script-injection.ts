import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';
import { remoteElements } from './remote-elements.js';

export const runtimeDomScriptInjection = defineRule({
  id: 'runtime-dom-script-injection',
  meta: {
    kind: 'capability',
    category: 'runtime',
    severity: 'low',
    confidence: 'medium',
    description: 'Adds a <script> or <iframe> with a remote src to the page',
    references: [
      'https://github.com/LedgerHQ/connect-kit/issues/29',
      'https://github.com/LottieFiles/lottie-player/issues/255',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      for (const element of remoteElements(fileFacts))
        report({
          message: `${file} loads a remote ${element.tag}: ${element.url.slice(0, 100)}`,
          at: element.at,
        });
    }
  },
});
