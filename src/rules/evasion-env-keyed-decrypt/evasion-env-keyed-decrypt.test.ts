import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts, str } from '../rule-test-kit.js';
import { evasionEnvKeyedDecrypt as rule } from './evasion-env-keyed-decrypt.js';

const env = (key: string, file = 'a.js'): CodeFact => ({ kind: 'env-read', key, at: at(file, 3) });
const decipher = (file = 'a.js') => call('crypto.createDecipher', 'crypto', at(file, 5), ['aes256', '']);

describe('evasion-env-keyed-decrypt', () => {
  it('reports a payload decrypted with the consumer description and compiled, at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [env('npm_package_description'), decipher(), call('module._compile', 'eval', at('a.js', 7))],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: 'high', severity: 'high' });
    expect(findings[0]?.source?.line).toBe(3);
  });

  it('is high with an encoded blob, medium with neither blob nor compile', () => {
    const blob = str('ab'.repeat(80), at('a.js', 2));
    expect(rule.run(packageFacts({ code: [env('npm_package_name'), decipher(), blob] }))[0]?.confidence).toBe(
      'high',
    );
    expect(rule.run(packageFacts({ code: [env('npm_package_name'), decipher()] }))[0]?.confidence).toBe(
      'medium',
    );
  });

  it.each([
    ['the package version', [env('npm_package_version'), decipher()]],
    ['its own key variable', [env('CONFIG_KEY'), decipher()]],
    ['metadata read in another file', [env('npm_package_description', 'b.js'), decipher()]],
    ['no decipher', [env('npm_package_description')]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code: code as CodeFact[] }))).toEqual([]);
  });

  it('reads names hidden as encoded strings anywhere in the package (flatmap-stream)', () => {
    const tell = (detail: string, file: string): CodeFact => ({
      kind: 'shape',
      shape: 'encoded-tell',
      detail,
      at: at(file, 1),
    });
    const hidden = [
      tell('hex npm_package_description: npm_package_description', 'test/data.js'),
      tell('hex createDecipher: createDecipher', 'test/data.js'),
    ];
    expect(rule.run(packageFacts({ code: hidden })).map((f) => f.confidence)).toEqual(['medium']);
    const compiled = rule.run(
      packageFacts({ code: [...hidden, tell('hex _compile: _compile', 'test/data.js')] }),
    );
    expect(compiled.map((f) => f.confidence)).toEqual(['high']);
  });

  it('needs one hidden name before it links facts across files', () => {
    const plain = [env('npm_package_description', 'b.js'), decipher('a.js')];
    expect(rule.run(packageFacts({ code: plain }))).toEqual([]);
    const tell: CodeFact = {
      kind: 'shape',
      shape: 'encoded-tell',
      detail: 'hex createDecipher: createDecipher',
      at: at('c.js'),
    };
    expect(rule.run(packageFacts({ code: [env('npm_package_description', 'b.js'), tell] }))).toHaveLength(1);
    expect(rule.run(packageFacts({ code: [env('npm_package_version', 'b.js'), tell] }))).toEqual([]);
  });
});
