import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The file of one of the sandbox's own programs (the supervisor, the sinkhole): bundled as
 * `sandbox-<name>.mjs` beside the CLI chunks, or compiled under dist/ when running unbundled.
 */
export const sandboxEntry = (name: 'supervisor' | 'sinkhole'): string => {
  const candidates = [
    new URL(`./sandbox-${name}.mjs`, import.meta.url),
    new URL(name === 'supervisor' ? './supervisor.js' : '../sinkhole/sinkhole-main.js', import.meta.url),
    new URL(
      name === 'supervisor'
        ? '../../../dist/sandbox/isolation/supervisor.js'
        : '../../../dist/sandbox/sinkhole/sinkhole-main.js',
      import.meta.url,
    ),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`the sandbox ${name} is missing beside ${fileURLToPath(import.meta.url)}; rebuild`);
};
