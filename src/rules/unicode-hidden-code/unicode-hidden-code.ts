import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** More invisible characters than any emoji sequence or ZWJ needs: they carry data. */
export const HIDDEN_PAYLOAD_COUNT = 16;
/** Files above this size are bundles, not loaders (see detect). */
const LOADER_BYTES = 64 * 1024;
/** In a bundle, only a payload this large (bytes encoded one per character) still counts as one. */
const BUNDLE_PAYLOAD_COUNT = 1000;
/** Spaces before hidden code that no editor or review tool shows on screen. */
const FAR_OFF_SCREEN = 1000;
const offScreen = (signal: string, detail: string): boolean =>
  signal === 'whitespace-hidden-code' && Number.parseInt(detail, 10) >= FAR_OFF_SCREEN;
const HIDDEN_SIGNAL = /hidden|whitespace|off-?screen|shebang/i;

export const unicodeHiddenCode = defineRule({
  id: 'unicode-hidden-code',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description:
      'Code hidden from a reader: invisible-Unicode payloads, bidi overrides, code pushed off-screen',
    references: [
      'https://trojansource.codes/',
      'https://www.aikido.dev/blog/youre-invited-delivering-malware-via-google-calendar-invites-and-puas',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    const sizes = new Map(facts.files.map((stats) => [stats.file, stats.bytes]));
    for (const [file, fileFacts] of factsByFile(facts)) {
      const evaluates = fileFacts.some((fact) => isCallIn(fact, ['eval']));
      // A loader is small; a multi-megabyte bundle (yarn's cli.js, Next's runtimes) holds Unicode
      // tables and an eval that have nothing to do with each other.
      const bundle = (sizes.get(file) ?? 0) > LOADER_BYTES;
      for (const fact of fileFacts) {
        if (fact.kind === 'unicode') {
          if (fact.signal === 'bidi') {
            // Text-processing code keeps bidi controls as data (webpack's HTML parser); beside eval they hide code.
            report({
              message: `${file} has ${fact.count} bidirectional override character(s) (Trojan Source)`,
              at: fact.at,
              confidence: evaluates && !bundle ? 'medium' : 'low',
            });
          } else if (fact.count >= HIDDEN_PAYLOAD_COUNT) {
            // Decoding invisible characters and running them is the GlassWorm / os-info-checker-es6 loader.
            const payload = evaluates && (!bundle || fact.count >= BUNDLE_PAYLOAD_COUNT);
            report({
              message: `${file} has ${fact.count} ${fact.signal} characters${evaluates ? ' and evaluates code' : ''}`,
              at: fact.at,
              confidence: payload ? 'high' : 'low',
            });
          }
        } else if (fact.kind === 'obfuscation' && HIDDEN_SIGNAL.test(fact.signal)) {
          report({
            message: `${file}: ${fact.signal} (${fact.detail.slice(0, 60)})`,
            at: fact.at,
            // Code a thousand columns to the right is off every screen and out of every diff view.
            confidence: evaluates || offScreen(fact.signal, fact.detail) ? 'high' : 'medium',
          });
        }
      }
    }
  },
});
