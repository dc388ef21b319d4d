/** Where an advisory id is documented, and which database it comes from. */

export type AdvisorySource = { name: string; url: string };

// Ids from OSV feeds are plain; anything else is not turned into a URL.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const isSafeAdvisoryId = (id: string): boolean => SAFE_ID.test(id);

/** The advisory's page, or undefined when the id is not one we can link safely. */
export const advisoryUrl = (id: string): string | undefined => {
  if (!isSafeAdvisoryId(id)) return undefined;
  if (id.startsWith('GHSA-')) return `https://github.com/advisories/${id}`;
  if (id.startsWith('CVE-')) return `https://nvd.nist.gov/vuln/detail/${id}`;
  return `https://osv.dev/vulnerability/${id}`;
};

export const advisorySource = (id: string): AdvisorySource | undefined => {
  const url = advisoryUrl(id);
  if (url === undefined) return undefined;
  if (id.startsWith('GHSA-')) return { name: 'GitHub Advisory Database', url };
  if (id.startsWith('CVE-')) return { name: 'NVD', url };
  if (id.startsWith('MAL-')) return { name: 'OpenSSF Malicious Packages', url };
  return { name: 'OSV', url };
};

// Absolute URL with a scheme and no characters that are invalid in a URI/IRI reference.
const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"{}|\\^`\u0000-\u001f\u007f-\u009f]+$/;

/** An http(s) URL from untrusted data, or undefined when it is not one. */
export const safeHttpUrl = (url: string): string | undefined => {
  if (!ABSOLUTE_URL.test(url) || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
};

/** Any absolute URL (git+ssh, https, …) that is syntactically safe to put in a document. */
export const safeAbsoluteUrl = (url: string): string | undefined => {
  if (!ABSOLUTE_URL.test(url)) return undefined;
  try {
    new URL(url);
    return url;
  } catch {
    return undefined;
  }
};
