import type { RegistryDocument, VersionDocument } from './document.js';

/**
 * The version object for `GET /<name>/<version-or-tag>`, taken from the document the firewall
 * serves (rewritten, with hidden versions removed), so a view never reveals what the packument
 * hides. A spec that is both a version and a tag name resolves as the version, as on the registry.
 */
export const versionView = (doc: RegistryDocument, spec: string): VersionDocument | undefined => {
  if (Object.hasOwn(doc.versions, spec)) return doc.versions[spec];
  const tagged = Object.hasOwn(doc['dist-tags'], spec) ? doc['dist-tags'][spec] : undefined;
  return tagged !== undefined && Object.hasOwn(doc.versions, tagged) ? doc.versions[tagged] : undefined;
};

/** The body of `GET /-/package/<name>/dist-tags`, or the version for one tag. */
export const distTagsView = (
  doc: RegistryDocument,
  tag?: string,
): Record<string, string> | string | undefined => {
  if (tag === undefined) return { ...doc['dist-tags'] };
  return Object.hasOwn(doc['dist-tags'], tag) ? doc['dist-tags'][tag] : undefined;
};
