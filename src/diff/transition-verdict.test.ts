import { describe, expect, it } from 'vitest';
import { analyzeSide } from './analyze-side.js';
import { computeDelta } from './delta.js';
import { transitionVerdict } from './transition-verdict.js';

const side = (version: string, scripts: Record<string, string> = {}) =>
  analyzeSide(
    new Map(
      Object.entries({
        'package.json': JSON.stringify({ name: 'p', version, main: 'index.js', scripts }),
        'index.js': 'module.exports = function add(a, b) {\n  return a + b;\n};\n',
      }).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]),
    ),
  );

const verdictOf = (from: ReturnType<typeof side>, to: ReturnType<typeof side>) =>
  transitionVerdict(from.assessment, to.assessment, computeDelta(from, to));

describe('transitionVerdict: install scripts', () => {
  it('calls a registry install hook added or changed suspicious', () => {
    const added = verdictOf(side('1.0.0'), side('1.0.1', { postinstall: 'node index.js' }));
    expect(added.verdict).toBe('suspicious');
    expect(added.reasons).toEqual(['install script added: postinstall']);
    const changed = verdictOf(
      side('1.0.0', { install: 'node-gyp rebuild' }),
      side('1.0.1', { install: 'node index.js' }),
    );
    expect(changed.reasons).toEqual(['install script changed: install']);
  });

  // Top-200 histories (evals/transitions): uuid, minipass, isexe, cliui, cookie, … add or rewrite
  // `prepare` (a build step) between releases; a registry install never runs it.
  it('does not call a prepare hook added or changed a turn', () => {
    const added = verdictOf(side('4.0.0'), side('5.0.0', { prepare: 'tshy', preprepare: 'rm -rf dist' }));
    expect(added).toEqual({ verdict: 'benign', reasons: [], evidence: [] });
    const changed = verdictOf(side('7.0.3', { prepare: 'tsc' }), side('7.0.4', { prepare: 'tshy' }));
    expect(changed.verdict).toBe('benign');
  });
});
