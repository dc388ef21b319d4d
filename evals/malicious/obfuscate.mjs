// A small obfuscator.io-STYLE transform for the incident replays (our own code, not javascript-obfuscator):
// every single-quoted string goes into one string array, stored rotated and put back in order at
// load time by a push(shift()) loop that stops when a parseInt checksum matches; strings are read
// through a decoder with an index offset; declared names become _0x hex names. Enough to reproduce
// the shape detectors meet in @0xengine/xmlrpc's validator.js and the coa/chalk payloads.
// Run: node evals/malicious/obfuscate.mjs <plain.js> <out.js> [seed] [--shebang '#!/bin/bash']
// The plain sources (evals/malicious/sources/) avoid comments, template literals and quotes inside
// strings, so a regex tokenizer is enough. The output is data: nothing here runs it.
import { readFileSync, writeFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

const [input, output, seedArg] = process.argv.slice(2);
const shebangAt = process.argv.indexOf('--shebang');
const shebang = shebangAt === -1 ? '' : `${process.argv[shebangAt + 1]}\n`;
let seed = Number(seedArg ?? 7);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const hexName = (used) => {
  for (;;) {
    const name = `_0x${Math.floor(0x10000 + random() * 0xefffff).toString(16)}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
};
const hex = (n) => `0x${n.toString(16)}`;

let source = readFileSync(input, 'utf8');
const used = new Set();

// 1. Declared names (const/let/var/function/params) → _0x names. Properties after '.' are kept.
const declared = new Set();
for (const m of source.matchAll(/\b(?:const|let|var|function)\s+([A-Za-z_$][\w$]*)/g)) declared.add(m[1]);
for (const m of source.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}/g))
  for (const part of m[1].split(',')) declared.add(part.split(':').pop().trim());
for (const m of source.matchAll(/(?:function\s*[\w$]*\s*|\b)\(([\w$,\s]*)\)\s*(?:=>|\{)/g))
  for (const part of m[1].split(',')) if (part.trim()) declared.add(part.trim());
const keep = new Set(['module', 'exports', 'require', 'process', 'console', 'Buffer', 'JSON', 'Date']);
const renames = new Map([...declared].filter((n) => n && !keep.has(n)).map((n) => [n, hexName(used)]));

// 2. Strings → array entries (one per distinct value).
const strings = [];
const indexOf = new Map();
const body = source.replace(/'((?:[^'\\\n]|\\.)*)'|([A-Za-z_$][\w$]*)/g, (whole, str, ident, at) => {
  if (str !== undefined) {
    if (!indexOf.has(str)) {
      indexOf.set(str, strings.length);
      strings.push(str);
    }
    // A quoted object key becomes a computed key: { 'a.json': v } → { [_0x(0x1)]: v }
    const isKey = /^\s*:/.test(source.slice(at + whole.length)) && /[{,]\s*$/.test(source.slice(0, at));
    return isKey ? `[\u0000${indexOf.get(str)}\u0000]` : `\u0000${indexOf.get(str)}\u0000`;
  }
  const before = source[at - 1];
  // An object key ({ key: … }) keeps its name; a ternary branch (a ? b : c) does not.
  const after = /^\s*:/.test(source.slice(at + whole.length)) && /[{,]\s*$/.test(source.slice(0, at));
  if (before === '.' || after || !renames.has(ident)) return whole;
  return renames.get(ident);
});
// obfuscator.io also turns method names into decoder lookups: obj.name( → obj[_0x(0x1a)](
source = body.replace(/\.([A-Za-z_$][\w$]*)\s*\(/g, (_, prop) => {
  if (!indexOf.has(prop)) {
    indexOf.set(prop, strings.length);
    strings.push(prop);
  }
  return `[\u0000${indexOf.get(prop)}\u0000](`;
});

// 3. Checksum strings: numbers the load-time loop parses to know the array is back in order.
const checks = [1, 2, 3, 4, 5].map((divisor) => {
  const n = (Math.floor(random() * 90000) + 10000) * divisor * 12;
  const letters = Array.from(
    { length: 5 },
    () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(random() * 52)],
  );
  strings.push(`${n}${letters.join('')}`);
  return strings.length - 1;
});
const checksumOf = (array) => {
  const p = (index) => Number.parseInt(array[index], 10);
  const [c0, c1, c2, c3, c4] = checks;
  return p(c0) / 1 + -p(c1) / 2 + (p(c2) / 3) * (-p(c3) / 4) + p(c4) / 5;
};
const target = checksumOf(strings);
const rotate = (array, n) => [...array.slice(array.length - n), ...array.slice(0, array.length - n)];
// The loader rotates left until the checksum matches: no earlier rotation may match.
const unique = (shift) => {
  let current = rotate(strings, shift);
  for (let step = 0; step < shift; step++) {
    if (checksumOf(current) === target) return false;
    current = [...current.slice(1), current[0]];
  }
  return checksumOf(current) === target;
};
let shift = 0;
for (let tries = 0; tries < 200 && shift === 0; tries++) {
  const candidate = 1 + Math.floor(random() * (strings.length - 1));
  if (unique(candidate)) shift = candidate;
}
if (shift === 0) throw new Error('no rotation with a unique checksum');
const stored = rotate(strings, shift);

const offset = 0x100 + Math.floor(random() * 0x100);
const arrayFn = hexName(used);
const decoder = hexName(used);
const [a, b, c, d, e, f, g, h, i, j, k] = Array.from({ length: 11 }, () => hexName(used));
// Array entries keep the source's escapes (the text between the quotes); only non-ASCII is escaped.
const escapeNonAscii = (s) =>
  s.replace(/[^\x00-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
const at = (index) => `${c}(${hex(index + offset)})`;
const [c0, c1, c2, c3, c4] = checks;
const prelude =
  `(function(${a},${b}){const ${c}=${decoder},${d}=${a}();while(!![]){try{const ${e}=parseInt(${at(c0)})/0x1+-parseInt(${at(c1)})/0x2+parseInt(${at(c2)})/0x3*(-parseInt(${at(c3)})/0x4)+parseInt(${at(c4)})/0x5;if(${e}===${b})break;else ${d}['push'](${d}['shift']());}catch(${f}){${d}['push'](${d}['shift']());}}}(${arrayFn},${target}));` +
  `function ${arrayFn}(){const ${g}=[${stored.map((s) => `'${escapeNonAscii(s)}'`).join(',')}];${arrayFn}=function(){return ${g};};return ${arrayFn}();}` +
  `function ${decoder}(${h},${i}){const ${j}=${arrayFn}();return ${decoder}=function(${h},${i}){${h}=${h}-${hex(offset)};let ${k}=${j}[${h}];return ${k};},${decoder}(${h},${i});}`;
const code = source
  .replace(/\u0000(\d+)\u0000/g, (_, index) => `${decoder}(${hex(Number(index) + offset)})`)
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean)
  .join('');
// Self-check: only the generated prelude (array, rotation loop, decoder; no payload) runs, in an
// empty context, and must hand back every string at its original index.
const restored = runInNewContext(
  `${prelude}[${strings.map((_, index) => `${decoder}(${hex(index + offset)})`).join(',')}]`,
  {},
  { timeout: 1000 },
);
const expected = runInNewContext(`[${strings.map((s) => `'${escapeNonAscii(s)}'`).join(',')}]`, {});
if (JSON.stringify(restored) !== JSON.stringify(expected)) throw new Error('string array does not restore');
writeFileSync(output, `${shebang}${prelude}${code}\n`);
console.log(`${output}: ${strings.length} strings, rotation ${shift}, ${renames.size} names renamed`);
