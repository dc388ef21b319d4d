'use strict';

const isUnused = (variable) =>
  variable.defs.some((def) => def.type === 'ImportBinding') && variable.references.length === 0;

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow unused imports' },
    fixable: 'code',
    schema: [],
    messages: { unused: "'{{name}}' is imported but never used." },
  },
  create(context) {
    return {
      'Program:exit'(node) {
        const scope = context.sourceCode ? context.sourceCode.getScope(node) : context.getScope();
        const queue = [scope];
        while (queue.length > 0) {
          const current = queue.shift();
          for (const variable of current.variables) {
            if (!isUnused(variable)) continue;
            const def = variable.defs[0];
            context.report({
              node: def.node,
              messageId: 'unused',
              data: { name: variable.name },
              fix: (fixer) => (def.parent.specifiers.length === 1 ? fixer.remove(def.parent) : fixer.remove(def.node)),
            });
          }
          queue.push(...current.childScopes);
        }
      },
    };
  },
};

module.exports = { rules: { 'no-unused-imports': rule } };
