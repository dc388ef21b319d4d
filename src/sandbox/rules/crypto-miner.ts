import { defineSandboxRule } from './define-sandbox-rule.js';
import { commandLine, who } from './queries.js';

/** Mining-pool URLs and XMRig's own flags: nothing but a miner is started with these. */
const MINER_ARGUMENT =
  /\bstratum[0-9]?\+(?:tcp|ssl|tls):\/\/|^--(?:donate-level|cpu-max-threads-hint|randomx-mode|coin|algo=rx|nicehash)\b|^(?:-a|--algo)=?(?:rx\/0|cn\/|kawpow|ethash)/i;

/** The first message of the Stratum mining protocol (XMRig's `login`, Bitcoin-style `mining.subscribe`). */
const STRATUM_HELLO = /"method"\s*:\s*"(?:login|mining\.subscribe|mining\.authorize|eth_submitLogin)"/;

export const cryptoMiner = defineSandboxRule({
  id: 'sandbox-crypto-miner',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  description: 'A package process started a cryptocurrency miner or spoke the Stratum mining protocol',
  detect({ runs }, found) {
    for (const view of runs) {
      for (const { exec, actor } of view.execs) {
        const hits = exec.argv.filter((argument) => MINER_ARGUMENT.test(argument));
        if (hits.length === 0) continue;
        found({
          message: `${who(actor)} started a miner: ${hits.slice(0, 2).join(' ')}`,
          evidence: [commandLine(exec.argv)],
          actor,
        });
      }
      for (const event of view.record.sinkhole) {
        if (event.type !== 'tcp' || event.protocol === 'http') continue;
        const text = Buffer.from(event.data, 'base64').toString('latin1');
        const hello = STRATUM_HELLO.exec(text);
        if (!hello) continue;
        const attempt = view.network.find(
          (entry) => entry.protocol === 'tcp' && entry.bytesSent === event.bytes,
        );
        found({
          message: `a package process spoke the Stratum mining protocol (${hello[0].replace(/\s+/g, '')}) to ${event.sni ?? attempt?.host ?? `port ${event.clientPort}`}`,
          evidence: [text.slice(0, 160).replace(/[^\x20-\x7e]/g, '.')],
          ...(attempt?.actor ? { actor: attempt.actor } : {}),
        });
      }
    }
  },
});
