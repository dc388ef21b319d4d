import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { processDropperDetached as rule } from './process-dropper-detached.js';

const detached = (file: string, line: number): CodeFact => ({
  kind: 'shape',
  shape: 'detached-process',
  detail: 'child process options { detached: true }',
  at: at(file, line),
});
const fetches = call('https.get', 'network', at('a.js', 2), ['https://x.invalid/bin']);
const writes = call('fs.createWriteStream', 'filesystem-write', at('a.js', 3), ['*/helper']);
const chmods = call('fs.chmodSync', 'filesystem-write', at('a.js', 4), ['*/helper', '493']);
const spawns = call('child_process.spawn', 'process', at('a.js', 5), ['*/helper']);

describe('process-dropper-detached', () => {
  it('is critical/high for download → write → chmod +x → detached spawn of that file', () => {
    const findings = rule.run(packageFacts({ code: [fetches, writes, chmods, spawns, detached('a.js', 5)] }));
    expect(findings).toMatchObject([
      { severity: 'critical', confidence: 'high', source: { line: 2 }, sink: { line: 5 } },
    ]);
  });

  it('accepts chmod through a shell command and octal literals', () => {
    const shell = call('child_process.execSync', 'process', at('a.js', 4), ['chmod +x /tmp/helper']);
    const started = call('child_process.spawn', 'process', at('a.js', 5), ['/tmp/helper']);
    const written = call('fs.writeFileSync', 'filesystem-write', at('a.js', 3), ['/tmp/helper']);
    expect(
      rule.run(packageFacts({ code: [fetches, written, shell, started, detached('a.js', 5)] })),
    ).toMatchObject([{ severity: 'critical' }]);
    const octal = call('fs.chmodSync', 'filesystem-write', at('a.js', 4), ['*/helper', '0o755']);
    expect(
      rule.run(packageFacts({ code: [fetches, writes, octal, spawns, detached('a.js', 5)] })),
    ).toMatchObject([{ severity: 'critical' }]);
  });

  it('is high/medium when the written file is started without a chmod (a detached node script)', () => {
    expect(rule.run(packageFacts({ code: [fetches, writes, spawns, detached('a.js', 5)] }))).toMatchObject([
      { severity: 'high', confidence: 'medium' },
    ]);
  });

  it('is silent for a binary installer that runs its download attached (esbuild, puppeteer)', () => {
    expect(rule.run(packageFacts({ code: [fetches, writes, chmods, spawns] }))).toEqual([]);
  });

  it('is silent when the pieces are far apart (a bundle) or in different files', () => {
    const far = call('child_process.spawn', 'process', at('a.js', 500), ['*/helper']);
    expect(rule.run(packageFacts({ code: [fetches, writes, chmods, far, detached('a.js', 500)] }))).toEqual(
      [],
    );
    const elsewhere = call('child_process.spawn', 'process', at('b.js', 5), ['node']);
    expect(
      rule.run(packageFacts({ code: [fetches, writes, chmods, elsewhere, detached('b.js', 5)] })),
    ).toEqual([]);
  });

  it('is silent for a detached daemon that starts something other than what it wrote', () => {
    const log = call('fs.appendFileSync', 'filesystem-write', at('a.js', 3), ['*/daemon.log']);
    const daemon = call('child_process.spawn', 'process', at('a.js', 5), ['node']);
    expect(rule.run(packageFacts({ code: [fetches, log, daemon, detached('a.js', 5)] }))).toEqual([]);
  });

  it('ignores process.kill and other non-starting process calls', () => {
    const kill = call('process.kill', 'process', at('a.js', 5), ['', 'SIGKILL']);
    expect(rule.run(packageFacts({ code: [fetches, writes, chmods, kill, detached('a.js', 5)] }))).toEqual(
      [],
    );
  });
});
