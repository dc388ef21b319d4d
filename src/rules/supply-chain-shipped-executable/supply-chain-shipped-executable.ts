import type { FileStats, PackageFacts } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';

/** Where native builds and prebuilt binaries live, and how platform packages are named. */
const NATIVE_PATH =
  /(?:^|\/)(?:prebuilds?|build\/(?:Release|Debug)|bin|binding|lib\/binding|vendor|native|napi|dist\/native)\//i;
const NATIVE_FILE = /\.(?:node|so(?:\.\d+)*|dylib|wasm)$/i;
const PLATFORM =
  /(?:linux|darwin|macos|win32|windows|freebsd|openbsd|android|sunos|aix|musl)[-_.]?(?:x64|arm64|ia32|x86|arm|ppc64|s390x|riscv64|universal)?/i;

const hasNativeBuild = (facts: PackageFacts): boolean =>
  facts.manifest.bindingGyp !== undefined ||
  PLATFORM.test(facts.manifest.name) ||
  facts.files.some((file) => NATIVE_FILE.test(file.file));

/** A binary placed where a native build or platform package puts one, or named as a bin. */
const explained = (file: FileStats, facts: PackageFacts): boolean =>
  NATIVE_PATH.test(file.file) ||
  PLATFORM.test(file.file) ||
  Object.values(facts.manifest.bin).some((bin) => bin.replace(/^\.\//, '') === file.file);

export const supplyChainShippedExecutable = defineRule({
  id: 'supply-chain-shipped-executable',
  meta: {
    kind: 'threat',
    category: 'supply-chain',
    severity: 'high',
    confidence: 'low',
    description: 'Ships a Windows, Linux or macOS executable outside any native-build or platform layout',
    references: [
      'https://socket.dev/blog/npm-phishing-campaign-leads-to-prettier-tooling-packages-compromise',
      'https://attack.mitre.org/techniques/T1027/009/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const executables = facts.files.filter(
      (file) => file.binary === 'pe' || file.binary === 'elf' || file.binary === 'mach-o',
    );
    if (executables.length === 0) return;
    const native = hasNativeBuild(facts);
    const installs = Object.keys(facts.manifest.installScripts).length > 0;
    for (const file of executables) {
      if (explained(file, facts)) continue;
      // A package with native parts may carry helpers anywhere; without them, a binary is odd,
      // and one next to an install hook is how droppers ship (`node-gyp.dll` + postinstall).
      const confidence = native ? undefined : installs ? 'medium' : 'low';
      if (!confidence) continue;
      report({
        message: `${file.file} is a ${file.binary} executable in a package with no native build${installs ? ' and an install script' : ''}`,
        at: { file: file.file, line: 1, column: 1 },
        confidence,
      });
    }
  },
});
