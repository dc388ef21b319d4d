export {
  type BenignPattern,
  classifyInstallScript,
  type InstallScriptFact,
  type InstallScriptSignal,
} from './install-script.js';
export {
  type ExtractedManifestFacts,
  extractManifestFacts,
  gypCommands,
  INSTALL_HOOKS,
  type RemoteDependency,
} from './manifest-facts.js';
export {
  borrowedRepository,
  compareManifests,
  type ManifestField,
  type ManifestMismatch,
  type MetadataInput,
  type MetadataSignal,
  metadataSignals,
} from './metadata-signals.js';
export { classifySpec, type RemoteSpecKind } from './remote-spec.js';
export { normaliseRepositoryUrl, repositoryName } from './repository-url.js';
export {
  buildPopularIndex,
  checkTyposquat,
  KNOWN_NEIGHBOURS,
  type PopularIndex,
  popularIndex,
  type TyposquatKind,
  type TyposquatMatch,
} from './typosquat.js';
