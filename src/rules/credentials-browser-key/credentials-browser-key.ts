import { defineRule } from '../define-rule.js';
import { shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

/** Names that only matter to code decrypting another program's saved passwords and cookies. */
const DECRYPTION_KEY = /Safe Storage|os_crypt|encrypted_key|CryptUnprotectData|ProtectedData/;

export const credentialsBrowserKey = defineRule({
  id: 'credentials-browser-key',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description:
      "The browser's password-encryption key or the macOS keychain is read (Chrome Safe Storage, Local State encrypted_key, DPAPI, dump-keychain)",
    references: [
      'https://attack.mitre.org/techniques/T1555/001/',
      'https://attack.mitre.org/techniques/T1555/003/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const keys = shapesNamed(fileFacts, 'browser-key-access');
      if (keys.length === 0) continue;
      const details = keys.map((fact) => fact.detail);
      const dump = keys.find((fact) => /dump-keychain/.test(fact.detail));
      const decryption = keys.filter((fact) => DECRYPTION_KEY.test(fact.detail));
      const stores = shapesNamed(fileFacts, 'browser-secret-store', 'browser-profile-dir');
      if (dump) {
        report({
          message: `${file} dumps the macOS keychain: ${dump.detail.slice(0, 80)}`,
          at: dump.at,
          confidence: 'high',
        });
        continue;
      }
      const first = decryption[0];
      if (first) {
        // The key plus the encrypted stores it opens (Login Data, Cookies) or a second key source.
        const strong = stores.length > 0 || new Set(details).size > 1;
        report({
          message: `${file} reads the browser's encryption key (${first.detail.slice(0, 60)})${strong ? ' beside the stores it decrypts' : ''}`,
          at: first.at,
          confidence: strong ? 'high' : 'medium',
        });
      }
      // `security find-generic-password` alone is silent: CLIs keep their own token in the keychain.
    }
  },
});
