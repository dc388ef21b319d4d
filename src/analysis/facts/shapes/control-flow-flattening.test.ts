import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'control-flow-flattening' ? [fact.detail] : [],
  );

const dispatcher = (loop: string, cases: string) =>
  `var o = '2|0|1'.split('|'), i = 0;\n${loop} {\n switch (o[i++]) {\n${cases}\n }\n break;\n}`;
const STEPS = "case '0': a(); continue;\ncase '1': b(); continue;\ncase '2': c(); continue;";

describe('control-flow-flattening shape', () => {
  it.each(['while (!![])', 'while (true)', 'for (;;)', 'while (1)'])(
    'reports the dispatcher under %s',
    (loop) => {
      expect(shapesIn(dispatcher(loop, STEPS))).toEqual([
        '3 numbered cases dispatched by order[i++] in an endless loop',
      ]);
    },
  );

  it.each([
    ['a bounded loop', dispatcher('while (i < 3)', STEPS)],
    [
      'a tokenizer over characters',
      dispatcher(
        'while (true)',
        "case 'a': x(); continue; case 'b': y(); continue; case 'c': z(); continue;",
      ),
    ],
    [
      'cases that fall through',
      dispatcher('while (true)', "case '0': a(); case '1': b(); case '2': c(); break;"),
    ],
    [
      'a state variable',
      'while (true) { switch (state) { case 0: a(); continue; case 1: b(); continue; case 2: return; } }',
    ],
    ['two cases', dispatcher('while (true)', "case '0': a(); continue; case '1': b(); continue;")],
  ])('is silent for %s', (_, source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
