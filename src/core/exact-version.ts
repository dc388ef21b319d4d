import { SemVer } from 'semver';

/**
 * The version when `text` is exactly a valid semver version (no `v`, no spaces, no loose forms);
 * registry documents are untrusted, so anything else is ignored.
 */
export const exactVersion = (text: string): SemVer | undefined => {
  if (text.length > 256) return undefined;
  try {
    const order = new SemVer(text);
    return order.version === text ? order : undefined;
  } catch {
    return undefined;
  }
};
