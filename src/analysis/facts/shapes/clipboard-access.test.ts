import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'clipboard-access' ? [fact.detail] : [],
  );

describe('clipboard-access shape', () => {
  it.each([
    ['navigator.clipboard.writeText(swapped);', 'navigator.clipboard.writeText'],
    ["const c = require('clipboardy'); c.writeSync(x);", 'clipboardy.writeSync'],
    ["document.addEventListener('copy', onCopy);", "addEventListener('copy')"],
    ["document.execCommand('copy');", "document.execCommand('copy')"],
    ["require('child_process').execSync('pbpaste');", 'child_process.execSync pbpaste'],
    [
      "const { exec } = require('child_process'); exec('powershell Get-Clipboard');",
      'child_process.exec powershell Get-Clipboard',
    ],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each([
    "el.addEventListener('click', go);",
    "stream.write('clipboard');",
    "require('child_process').execSync('clip-path --help');",
    'fs.readSync(fd, buf);',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
