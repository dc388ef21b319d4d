// Locks in the false positive of ESM packages that load CommonJS through createRequire: an
// aliased require of an ordinary module, with nothing parked on the global object.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
const pkg = load('./package.json');

export const version = pkg.version;
