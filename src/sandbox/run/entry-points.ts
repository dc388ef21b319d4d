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

/**
 * The execute phase's script: loads each entry point and calls every function it exports (and
 * those of its default export) with no arguments and with an empty options object, and `new`
 * for classes, as OpenSSF package-analysis does — payloads that run on first use (the xmlrpc
 * stealer fires when a client is created) need a call. Errors are caught; at most 50 calls.
 */
export const exerciseSource = (specifiers: string[], settleMs: number): string => `'use strict';
const deps = ${JSON.stringify(specifiers)};
const MAX_CALLS = 50;
let calls = 0;
// A call's late failure must not end the phase before what it started has run.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});

function functionsOf(value) {
  const found = [];
  const seen = new Set();
  for (const holder of [value, value && value.default]) {
    if (!holder || (typeof holder !== 'object' && typeof holder !== 'function')) continue;
    if (typeof holder === 'function' && !seen.has(holder)) {
      seen.add(holder);
      found.push(['(default)', holder]);
    }
    for (const key of Object.keys(holder)) {
      let member;
      try {
        member = holder[key];
      } catch {
        continue;
      }
      if (typeof member === 'function' && !seen.has(member)) {
        seen.add(member);
        found.push([key, member]);
      }
    }
  }
  return found;
}

async function settle(result) {
  if (result && typeof result.then === 'function') {
    await Promise.race([result.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500))]);
  }
}

async function main() {
  for (const dep of deps) {
    let loaded;
    try {
      loaded = require(dep);
    } catch {
      try {
        loaded = await import(dep);
      } catch (error) {
        console.log('cannot load ' + dep + ': ' + (error && (error.code || error.message)));
        continue;
      }
    }
    for (const [name, fn] of functionsOf(loaded)) {
      for (const args of [[], [{}]]) {
        if (calls++ >= MAX_CALLS) break;
        try {
          await settle(fn(...args));
        } catch {
          try {
            await settle(new fn(...args));
          } catch {}
        }
      }
      console.log('called ' + dep + '.' + name);
    }
  }
  setTimeout(() => process.exit(0), ${settleMs}).unref();
}

main();
`;
