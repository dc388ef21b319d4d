/**
 * What the import phase loads: the package itself and each subpath its `exports` map names
 * (patterns and `./package.json` left out), at most `limit`.
 */
export const entrySpecifiers = (name: string, manifest: Record<string, unknown>, limit = 20): string[] => {
  const specifiers = [name];
  const exports = manifest.exports;
  if (exports && typeof exports === 'object' && !Array.isArray(exports)) {
    for (const key of Object.keys(exports)) {
      if (!key.startsWith('./') || key === './' || key.includes('*') || key === './package.json') continue;
      specifiers.push(`${name}/${key.slice(2)}`);
      if (specifiers.length >= limit) break;
    }
  }
  return specifiers;
};

/** The package's executables (`bin`), by name. */
export const binNames = (name: string, manifest: Record<string, unknown>, limit = 5): string[] => {
  const bin = manifest.bin;
  if (typeof bin === 'string') return [name.replace(/^@[^/]+\//, '')];
  if (bin && typeof bin === 'object' && !Array.isArray(bin))
    return Object.keys(bin)
      .filter((key) => /^[\w.@-]+$/.test(key))
      .slice(0, limit);
  return [];
};

/**
 * The sandbox project's own entry file: an ordinary app that requires its dependency. It loads
 * every entry point with require() and import(), and ends the process after `settleMs` unless the
 * event loop empties first, so a library that keeps a timer does not hold the run.
 */
export const loaderSource = (specifiers: string[], settleMs: number): string => `'use strict';
const deps = ${JSON.stringify(specifiers)};

async function main() {
  for (const dep of deps) {
    try {
      require(dep);
      console.log('loaded ' + dep);
    } catch (error) {
      console.log('require ' + dep + ': ' + (error && (error.code || error.message)));
    }
    try {
      await import(dep);
    } catch (error) {
      console.log('import ' + dep + ': ' + (error && (error.code || error.message)));
    }
  }
  setTimeout(() => process.exit(0), ${settleMs}).unref();
}

main();
`;
