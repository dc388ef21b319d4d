import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { persistenceLoadPathHijack as rule } from './persistence-load-path-hijack.js';

const shape = (name: string, detail: string): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('a.js', 3),
});

describe('persistence-load-path-hijack', () => {
  it.each([
    ['module-path-add', 'paths.push(~/.node_modules)'],
    ['module-path-add', 'paths.unshift(/tmp/x)'],
    ['path-prepend', 'PATH prepends ~/.local/Python3127'],
    ['path-prepend', 'PATH prepends C:\\Users\\me\\AppData\\Local\\x'],
    ['path-prepend', 'NODE_PATH prepends /opt/.hidden/lib'],
  ])('reports %s %s', (name, detail) => {
    expect(rule.run(packageFacts({ code: [shape(name, detail)] })).map((f) => f.confidence)).toEqual([
      'medium',
    ]);
  });

  it.each([
    ['path-prepend', 'PATH prepends */node_modules/.bin'],
    ['path-prepend', 'PATH prepends /usr/local/bin:'],
    ['module-path-add', 'paths.push(?)'],
    ['long-timer', 'setInterval every 12 h'],
  ])('is silent for %s %s', (name, detail) => {
    expect(rule.run(packageFacts({ code: [shape(name, detail)] }))).toEqual([]);
  });
});
