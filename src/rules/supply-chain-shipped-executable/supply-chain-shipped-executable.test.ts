import { describe, expect, it } from 'vitest';
import type { FileStats, ManifestFacts } from '../../analysis/types.js';
import { fileStats, packageFacts } from '../rule-test-kit.js';
import { supplyChainShippedExecutable as rule } from './supply-chain-shipped-executable.js';

const binary = (file: string, kind: FileStats['binary'] = 'pe') =>
  fileStats(file, { binary: kind, parsed: false });
const scan = (files: FileStats[], manifest: Partial<ManifestFacts> = {}) =>
  rule.run(packageFacts({ manifest, files: [fileStats('index.js'), ...files] }));

describe('supply-chain-shipped-executable', () => {
  it('reports a DLL beside an install script at medium confidence', () => {
    const findings = scan([binary('node-gyp.dll')], { installScripts: { install: 'node install.js' } });
    expect(findings.map((f) => [f.file, f.severity, f.confidence])).toEqual([
      ['node-gyp.dll', 'high', 'medium'],
    ]);
  });

  it.each([
    ['elf', 'lib/helper'],
    ['mach-o', 'assets/x'],
  ] as const)('reports a %s at low confidence without an install script', (kind, file) => {
    expect(scan([binary(file, kind)]).map((f) => f.confidence)).toEqual(['low']);
  });

  it.each([
    ['prebuilds', [binary('prebuilds/linux-x64/addon.node', 'elf')], {}],
    ['build/Release', [binary('build/Release/addon.node', 'elf')], {}],
    ['a platform package', [binary('esbuild', 'elf')], { name: '@esbuild/linux-x64' }],
    ['a declared bin', [binary('tool.exe')], { bin: { tool: './tool.exe' } }],
    ['a native package with helpers', [binary('helper.exe'), fileStats('addon.node')], {}],
    ['binding.gyp', [binary('helper.exe')], { bindingGyp: { commands: [] } }],
    ['wasm and other binaries', [binary('a.wasm', 'wasm'), binary('img.png', 'other')], {}],
  ] as const)('is silent for %s', (_, files, manifest) => {
    expect(scan([...files], manifest as Partial<ManifestFacts>)).toEqual([]);
  });
});
