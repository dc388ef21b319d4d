import type { Location } from '../../analysis/types.js';
import { credentialKind } from '../credential-file-read/credential-file-read.js';
import { defineRule } from '../define-rule.js';
import { sendsData, shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

const WALLET_SHAPES = ['wallet-extension-id', 'wallet-app-data'];
const BROWSER_SHAPES = ['browser-secret-store', 'browser-profile-dir'];

export const credentialsWalletHarvest = defineRule({
  id: 'credentials-wallet-harvest',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'high',
    description:
      'Code that touches files collects several crypto wallets, wallet extensions or browser password stores',
    references: [
      'https://unit42.paloaltonetworks.com/north-korean-threat-actors-lure-tech-job-seekers-as-fake-recruiters/',
      'https://attack.mitre.org/techniques/T1555/003/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const touchesFiles = fileFacts.some(
        (fact) =>
          fact.kind === 'call' &&
          (fact.category === 'filesystem-read' || /copyFile|cp(?:Sync)?$/.test(fact.api)),
      );
      if (!touchesFiles) continue;
      const wallets = new Map<string, Location>();
      for (const fact of shapesNamed(fileFacts, ...WALLET_SHAPES))
        if (!wallets.has(fact.detail)) wallets.set(fact.detail, fact.at);
      const browser = shapesNamed(fileFacts, ...BROWSER_SHAPES);
      const secretStore = browser.find((fact) => fact.shape === 'browser-secret-store');
      const profileDir = browser.find((fact) => fact.shape === 'browser-profile-dir');
      const first = [...wallets.values()][0];
      if (wallets.size >= 2 || (wallets.size === 1 && secretStore && first)) {
        report({
          message: `${file} collects ${wallets.size} wallet locations${secretStore ? ' and browser password stores' : ''}: ${[...wallets.keys()][0]?.slice(0, 60)}`,
          at: first ?? fileFacts[0]?.at,
        });
      } else if (secretStore && profileDir) {
        const sends = sendsData(fileFacts);
        report({
          message: `${file} reads browser secrets (${secretStore.detail.slice(0, 40)}) in ${profileDir.detail.slice(0, 60)}${sends ? ' and sends data' : ''}`,
          at: secretStore.at,
          // An importer reads saved passwords for the user; a file that also sends them is a stealer.
          confidence: sends ? 'high' : 'medium',
        });
      } else if (wallets.size === 1 && first) {
        const [detail] = [...wallets.keys()];
        // credential-file-read reports the common wallet files; report only what it does not know.
        if (detail !== undefined && !credentialKind(detail))
          report({
            message: `${file} reads a crypto wallet: ${detail.slice(0, 80)}`,
            at: first,
            confidence: 'medium',
          });
      }
    }
  },
});
