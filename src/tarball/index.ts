export { fileText } from './file-text.js';
export { DEFAULT_TARBALL_LIMITS, type TarballLimitName, type TarballLimits } from './limits.js';
export { type PackageJsonResult, packageJsonOf } from './package-json.js';
export { type ReadTarballOptions, readTarball } from './read-tarball.js';
export {
  type TarballContents,
  type TarballEntryProblemKind,
  TarballError,
  type TarballFile,
  type TarballProblem,
} from './types.js';
