import type { Confidence } from '../../analysis/types.js';
import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

/** Modules that run commands, open connections or evaluate code. */
const SENSITIVE = new Set([
  'child_process',
  'vm',
  'net',
  'tls',
  'dgram',
  'dns',
  'http',
  'https',
  'http2',
  'worker_threads',
]);

export const obfuscationAliasedRequire = defineRule({
  id: 'obfuscation-aliased-require',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'medium',
    description:
      "require stored on the global object (global['r'] = require) or called through an alias for a sensitive module",
    references: ['https://attack.mitre.org/techniques/T1027/', 'https://github.com/veged/coa/issues/99'],
    version: 1,
  },
  detect({ facts, report }) {
    const stored = shapesNamed(facts.code, 'require-on-global');
    // `global.require = require` exposes the loader under its own name (REPLs, test setups);
    // another name is a hiding place.
    const ownName = (detail: string): boolean => /^global\.require = /.test(detail);
    const hidden = stored.some((fact) => !ownName(fact.detail));
    for (const fact of stored) {
      report({
        message: `require stored on the global object: ${fact.detail}`,
        at: fact.at,
        confidence: ownName(fact.detail) ? 'low' : 'medium',
      });
    }
    for (const [file, fileFacts] of factsByFile(facts)) {
      const aliased = new Set(
        fileFacts
          .filter((fact) => fact.kind === 'obfuscation' && fact.signal === 'aliased-require')
          .map((fact) => `${fact.at.line}:${fact.at.column}`),
      );
      if (aliased.size === 0) continue;
      for (const fact of fileFacts) {
        if (
          fact.kind !== 'import' ||
          !SENSITIVE.has(fact.module) ||
          !aliased.has(`${fact.at.line}:${fact.at.column}`)
        )
          continue;
        // createRequire() aliases are ordinary ESM; through a require hidden on the global it is the coa/xmlrpc loader.
        const confidence: Confidence = hidden ? 'high' : 'low';
        report({
          message: `${file} loads ${fact.module} through an aliased require`,
          at: fact.at,
          confidence,
        });
      }
    }
  },
});
