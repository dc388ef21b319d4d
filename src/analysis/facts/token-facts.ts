import type { Token } from '../parse/index.js';
import type { Collector } from './collector.js';
import { clip } from './excerpt.js';
import { escapeKind } from './fold.js';
import { normaliseModule, TOKEN_APIS } from './sensitive-apis.js';

/**
 * Facts from tokens, for files the parser rejects: strings (with their escapes noted), `require`/
 * `import` of literal modules, identifiers that name sensitive APIs when called, `process.env`
 * reads, and `_0x` names. No aliases or flows: without a tree there is no structure to trust.
 */
const HEX_NAME = /^_0x[0-9a-f]{3,}$/i;

export type TokenWalkResult = { identifiers: number; hexIdentifiers: number };

export const walkTokens = (tokens: Token[], text: string, out: Collector): TokenWalkResult => {
  let identifiers = 0;
  let hexIdentifiers = 0;
  const seenApis = new Set<string>();
  const at = (i: number) => tokens[i];
  const is = (i: number, value: string) => {
    const t = tokens[i];
    return (
      t !== undefined &&
      (t.type === 'punctuator' || t.type === 'keyword' || t.type === 'identifier') &&
      t.value === value
    );
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'string' || token.type === 'template') {
      const from = escapeKind(text, token.start, token.end);
      out.addString(from ? { value: token.value, from } : { value: token.value }, token.start);
      continue;
    }
    if (token.type === 'keyword' && token.value === 'import') {
      const next = at(i + 1);
      const dynamic = is(i + 1, '(');
      const source = dynamic ? at(i + 2) : findFromSource(tokens, i);
      if (source?.type === 'string') {
        out.add({
          kind: 'import',
          module: clip(normaliseModule(source.value), 200),
          dynamic,
          computed: false,
          at: out.at(token.start),
        });
      } else if (dynamic && next) {
        out.add({ kind: 'import', module: '', dynamic: true, computed: true, at: out.at(token.start) });
      }
      continue;
    }
    if (token.type !== 'identifier') continue;
    identifiers++;
    if (HEX_NAME.test(token.value)) hexIdentifiers++;
    const previousIsDot = is(i - 1, '.');
    if (token.value === 'require' && !previousIsDot && is(i + 1, '(')) {
      const arg = at(i + 2);
      const literal = arg?.type === 'string' && is(i + 3, ')');
      out.add({
        kind: 'import',
        module: literal ? clip(normaliseModule(arg.value), 200) : '',
        dynamic: false,
        computed: !literal,
        at: out.at(token.start),
      });
      continue;
    }
    if (token.value === 'process' && is(i + 1, '.') && at(i + 2)?.value === 'env') {
      const key = is(i + 3, '.')
        ? at(i + 4)?.value
        : is(i + 3, '[') && at(i + 4)?.type === 'string'
          ? at(i + 4)?.value
          : undefined;
      out.add({ kind: 'env-read', key: key === undefined ? '*' : clip(key, 200), at: out.at(token.start) });
      continue;
    }
    const category = TOKEN_APIS.get(token.value);
    if (category && is(i + 1, '(')) {
      const key = `${token.value}@${token.line}`;
      if (seenApis.has(key)) continue;
      seenApis.add(key);
      const arg = at(i + 2);
      const args =
        arg && (arg.type === 'string' || arg.type === 'template') && !arg.unterminated
          ? [clip(arg.value, 200)]
          : [''];
      out.add({ kind: 'call', api: token.value, category, args, at: out.at(token.start) });
    }
  }
  return { identifiers, hexIdentifiers };
};

const findFromSource = (tokens: Token[], importAt: number): Token | undefined => {
  const first = tokens[importAt + 1];
  if (first?.type === 'string') return first;
  for (let j = importAt + 1; j < Math.min(tokens.length, importAt + 200); j++) {
    const t = tokens[j];
    if (t?.type === 'identifier' && t.value === 'from') return tokens[j + 1];
    if (t?.type === 'punctuator' && t.value === ';') return undefined;
  }
  return undefined;
};
