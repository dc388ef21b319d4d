const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Removes control, bidi and separator characters; keeps everything else, spacing included. */
export const stripControls = (text: string): string => text.replace(CONTROL, '');

/**
 * Untrusted text for fields other tools display as plain text (SARIF messages, CycloneDX
 * descriptions): one line, no control or bidi characters. Identifiers are kept exact elsewhere.
 */
export const plainLine = (text: string): string =>
  stripControls(text.replace(/[\t\r\n]+/g, ' '))
    .replace(/ {2,}/g, ' ')
    .trim();
