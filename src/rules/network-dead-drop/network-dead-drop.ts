import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { near, shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile, hostForMatching, isCallIn } from '../fact-queries.js';

/** Crypto libraries: a package using them reads chains for its own reasons. */
const CHAIN_LIBRARY =
  /^(?:ethers|web3|viem|@ethersproject\/.+|@solana\/web3\.js|@solana\/kit|tronweb|bitcoinjs-lib|@cosmjs\/.+|@polkadot\/.+|@wagmi\/.+|wagmi|@coinbase\/.+|@metamask\/.+)$/;
/** Hosts that only ever serve as a dead drop when named in package code. */
const OBSCURE_DROP = /calendar\.app\.google|\.(?:raw\.)?icp0\.io|\.(?:raw\.)?ic0\.app/i;
/** Lines between the dead-drop read and the code runner. */
const WINDOW = 60;
/** Packages of the Internet Computer SDK talk to canisters by design. */
const ICP_SDK = /^@dfinity\//;

export const networkDeadDrop = defineRule({
  id: 'network-dead-drop',
  meta: {
    kind: 'threat',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    description:
      'Next-stage code or C2 address read from a blockchain, calendar invite, ICP canister or paste site, then run',
    references: [
      'https://www.veracode.com/blog/secure-development/launching-an-npm-ethereum-based-c2',
      'https://www.aikido.dev/blog/youre-invited-delivering-malware-via-google-calendar-invites-and-puas',
    ],
    version: 3,
  },
  detect({ facts, report }) {
    const chainLibrary = facts.code.some((fact) => fact.kind === 'import' && CHAIN_LIBRARY.test(fact.module));
    const icpSdk = ICP_SDK.test(facts.manifest.name);
    for (const [file, fileFacts] of factsByFile(facts)) {
      const runners = fileFacts.filter((fact) => isCallIn(fact, ['eval', 'process']));
      const drops = shapesNamed(fileFacts, 'dead-drop-host', 'chain-rpc-call', 'chain-rpc-host');
      for (const fact of fileFacts) {
        if (fact.kind === 'url' && /(?:pastebin|hastebin|rentry|paste\.ee)/.test(hostForMatching(fact.host)))
          drops.push({ kind: 'shape', shape: 'dead-drop-host', detail: fact.value, at: fact.at });
      }
      const writesNear = (at: Location) =>
        fileFacts.some((fact) => isCallIn(fact, ['filesystem-write']) && near(fact.at, at, WINDOW));
      const seen = new Set<string>();
      for (const drop of drops) {
        const where =
          drop.shape === 'dead-drop-host'
            ? drop.detail.slice(0, 80)
            : `chain RPC (${drop.detail.slice(0, 60)})`;
        if (seen.has(where)) continue;
        seen.add(where);
        // Close to the read: an RPC server bundle names `eth_call` far from its unrelated spawns.
        const close = runners.filter((run) => near(run.at, drop.at, WINDOW));
        const runner = close.find((run) => isCallIn(run, ['eval'])) ?? close[0];
        if (runner?.kind === 'call') {
          // Reading a chain or paste site in the file that also evaluates or spawns: the drop is the command source.
          const chain = drop.shape !== 'dead-drop-host';
          if (chain && chainLibrary) continue;
          report({
            message: `${runner.api} in a file that reads ${where}`,
            source: drop.at,
            sink: runner.at,
            // Chain tooling spawns processes (node, compilers) next to RPC config; evaluating what was
            // read, or writing a file and running it (jest-fet-mock's dropper), is the tell.
            confidence: chain && runner.category !== 'eval' && !writesNear(drop.at) ? 'medium' : 'high',
          });
        } else if (drop.shape === 'dead-drop-host' && OBSCURE_DROP.test(drop.detail) && !icpSdk) {
          report({ message: `${file} reads ${where}`, at: drop.at, confidence: 'medium' });
        }
      }
    }
  },
});
