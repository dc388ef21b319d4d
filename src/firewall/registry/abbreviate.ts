import { isRecord } from '../../core/shape.js';
import type { RegistryDocument, VersionDocument } from './document.js';

/**
 * Version fields kept in the abbreviated document: npm's documented list (registry
 * docs/responses/package-metadata.md) plus those the public registry also sends and clients
 * read when installing (peerDependenciesMeta, acceptDependencies, os, cpu, libc, funding,
 * deprecated, hasInstallScript).
 */
export const ABBREVIATED_VERSION_FIELDS = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'acceptDependencies',
  'bin',
  'directories',
  'dist',
  'engines',
  'os',
  'cpu',
  'libc',
  'funding',
  '_hasShrinkwrap',
  'hasInstallScript',
] as const;

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

/**
 * Whether installing this version runs a script, as the registry computes `hasInstallScript`:
 * a non-empty preinstall/install/postinstall script, or `gypfile: true` (npm runs
 * `node-gyp rebuild` for packages with a binding.gyp). An upstream `hasInstallScript: true` is
 * trusted; an upstream `false` is not, because it is the only thing a client would look at.
 */
export const hasInstallScript = (version: VersionDocument): boolean => {
  if (version.hasInstallScript === true) return true;
  if (version.gypfile === true) return true;
  const scripts = version.scripts;
  if (!isRecord(scripts)) return false;
  return INSTALL_SCRIPTS.some(
    (key) => typeof scripts[key] === 'string' && (scripts[key] as string).trim() !== '',
  );
};

/** The abbreviated form of one version object. Shares nested values with the input, never mutates it. */
export const abbreviateVersion = (version: VersionDocument): VersionDocument => {
  const out: VersionDocument = {};
  for (const field of ABBREVIATED_VERSION_FIELDS) {
    if (field === 'hasInstallScript') continue;
    if (version[field] !== undefined) out[field] = version[field];
  }
  if (hasInstallScript(version)) out.hasInstallScript = true;
  return out;
};

/**
 * The abbreviated ("corgi", `application/vnd.npm.install-v1+json`) document from a full one:
 * `name`, `modified`, `dist-tags`, `versions`. `time` is left out as on the public registry
 * unless `includeTime` is set (Verdaccio adds it for pnpm's release-age checks). Abbreviating an
 * already abbreviated document gives the same document.
 */
export const abbreviateDocument = (
  doc: RegistryDocument,
  options: { includeTime?: boolean } = {},
): RegistryDocument => {
  const out: RegistryDocument = { name: doc.name, 'dist-tags': { ...doc['dist-tags'] }, versions: {} };
  const modified = typeof doc.modified === 'string' ? doc.modified : doc.time?.modified;
  if (modified !== undefined) out.modified = modified;
  for (const [key, version] of Object.entries(doc.versions)) out.versions[key] = abbreviateVersion(version);
  if (options.includeTime && doc.time !== undefined) out.time = { ...doc.time };
  // Key order as the registry sends it: name, modified, dist-tags, versions (then time).
  return {
    name: out.name,
    ...(out.modified !== undefined ? { modified: out.modified } : {}),
    'dist-tags': out['dist-tags'],
    versions: out.versions,
    ...(out.time !== undefined ? { time: out.time } : {}),
  };
};
