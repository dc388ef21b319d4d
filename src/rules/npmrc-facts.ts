import { classifyString } from '../analysis/facts/string-signals.js';
import type { CodeFact } from '../analysis/types.js';

/** `.npmrc` in a package, at any depth (npm never packs one: its presence is itself odd). */
export const NPMRC_FILE = /(?:^|\/)\.?npmrc$/;

const MAX_LINES = 1000;
const MAX_LINE = 2000;

/**
 * URL facts from an `.npmrc` shipped in a package: registry values (`registry=`,
 * `@scope:registry=`, any `https://` value) and nerf-darted credential keys
 * (`//host/path/:_authToken=`). Values of credential keys are never copied into excerpts.
 */
export const npmrcFacts = (file: string, text: string): CodeFact[] => {
  const facts: CodeFact[] = [];
  const lines = text.split(/\r?\n/, MAX_LINES);
  lines.forEach((raw, index) => {
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const eq = trimmed.indexOf('=');
    if (eq < 0) return;
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    const nerfDart = /^\/\/[^:]+/.exec(key)?.[0];
    const texts = [
      ...(nerfDart ? [`https:${nerfDart}`] : []),
      ...(/^https?:\/\//i.test(value) ? [value] : []),
    ];
    const excerpt = nerfDart ? `${key}=…` : trimmed.slice(0, 200);
    for (const candidate of texts) {
      for (const url of classifyString(candidate).urls) {
        facts.push({
          kind: 'url',
          value: url.value,
          host: url.host,
          ...(url.range ? { range: url.range } : {}),
          at: { file, line: index + 1, column: line.indexOf(key) + 1, excerpt },
        });
      }
    }
  });
  return facts;
};
