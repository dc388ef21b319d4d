/**
 * Escaping for Markdown rendered by GitHub, GitLab and similar (pull-request comments, SARIF help).
 * Untrusted text must not inject HTML, links, images, tables cells or mentions.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Escapes prose for a Markdown paragraph or table cell. Line breaks become spaces. */
export const markdownText = (text: string): string =>
  text
    .replace(/[\t\r\n]+/g, ' ')
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    // A zero-width space after a mention's `@` keeps `@someone` and `@org/team` from pinging anyone…
    .replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9_-])/g, '$1@&#8203;')
    // …and after `://` and `www.` keeps GitHub from turning untrusted URLs into links.
    .replace(/:\/\//g, ':&#8203;//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}&#8203;.`)
    .trim()
    // Block syntax only counts at the start of a line: headings, list items, setext underlines.
    .replace(/^[#+=-]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');

/**
 * A code span holding untrusted text (package names, commands). Code spans are not parsed for
 * Markdown, HTML or mentions; the fence is longer than any backtick run inside, and `|` is
 * escaped so the span can sit in a table cell.
 */
export const markdownCode = (text: string): string => {
  const clean = text.replace(/[\t\r\n]+/g, ' ').replace(CONTROL, '');
  // reduce, not Math.max(...runs): a hostile string with many runs would overflow the call stack.
  const longestRun = (clean.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${clean.replace(/\|/g, '\\|')}${pad}${fence}`;
};
