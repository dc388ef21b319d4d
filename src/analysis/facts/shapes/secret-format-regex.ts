import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';

/** Token formats a secret harvester greps for, recognised in a regular expression's source. */
export const SECRET_FORMATS: readonly [string, RegExp][] = [
  ['github', /gh(?:[pousr]|\[[pousr|]+\]|\([pousr|]+\))_|github_pat_/],
  ['npm', /\bnpm_(?:\[|\\w|\()/],
  ['aws', /A(?:KIA|SIA)(?:\[|\\|\(|\|)|\(\?:?AKIA|\bAKIA\b/],
  ['slack', /xox(?:\[[a-z|]+\]|[abposr])-?/],
  ['gitlab', /glpat-/],
  ['stripe', /[sr]k_live_/],
  ['google-api', /AIza(?:\[|\\|\()/],
  ['openai', /sk-(?:proj-)?(?:\[|\\w)/],
  ['private-key', /BEGIN[ (?:A-Z|\\s]{0,30}PRIVATE KEY/],
];

const kindsIn = (pattern: string): string[] =>
  pattern.length > 2000 ? [] : SECRET_FORMATS.filter(([, re]) => re.test(pattern)).map(([kind]) => kind);

/** `/ghp_[A-Za-z0-9]{36}/` or `new RegExp('npm_[A-Za-z0-9]{36}')`. */
export const secretFormatRegex: ShapeDetector = {
  shapes: ['secret-format-regex'],
  types: ['Literal', 'NewExpression', 'CallExpression'],
  detect({ node, resolve, fold, report }) {
    let pattern: string | undefined;
    if (node.type === 'Literal') {
      pattern = (node as ESTree.RegExpLiteral).regex?.pattern;
    } else if (node.type === 'NewExpression' || node.type === 'CallExpression') {
      const callee = node.callee as ESTree.Node;
      const named =
        callee.type === 'Identifier'
          ? callee.name
          : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
            ? callee.property.name
            : undefined;
      if (named !== 'RegExp' || node.arguments.length === 0 || resolve(callee) !== 'RegExp') return;
      pattern = fold(node.arguments[0] as ESTree.Node)?.value;
    }
    if (pattern === undefined || pattern.length < 4) return;
    const kinds = kindsIn(pattern);
    if (kinds.length > 0) report('secret-format-regex', kinds.join(','));
  },
};
