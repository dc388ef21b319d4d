import type { SandboxFinding } from '../types.js';
import { cloudMetadata } from './cloud-metadata.js';
import { credentialThenNetwork } from './credential-then-network.js';
import { cryptoMiner } from './crypto-miner.js';
import type { SandboxRule, SandboxRuleInput } from './define-sandbox-rule.js';
import { dnsExfiltrationShape } from './dns-exfiltration-shape.js';
import { downloadExecute } from './download-execute.js';
import { execHiddenBinary } from './exec-hidden-binary.js';
import { hardcodedResolver } from './hardcoded-resolver.js';
import { honeytokenExfiltration } from './honeytoken-exfiltration.js';
import { honeytokenRead } from './honeytoken-read.js';
import { lingeringProcess } from './lingering-process.js';
import { literalIp } from './literal-ip.js';
import { networkCapability } from './network-capability.js';
import { npmPublish } from './npm-publish.js';
import { outsideWrite } from './outside-write.js';
import { persistence } from './persistence.js';
import { processCapability } from './process-capability.js';
import { recordIncomplete } from './record-incomplete.js';
import { sensitiveRead } from './sensitive-read.js';

export type { SandboxObservations, SandboxRule, SandboxRuleInput } from './define-sandbox-rule.js';

/** Every dynamic rule, in report order. Explicit list, no discovery. */
export const SANDBOX_RULES: readonly SandboxRule[] = [
  honeytokenExfiltration,
  honeytokenRead,
  credentialThenNetwork,
  npmPublish,
  cryptoMiner,
  persistence,
  downloadExecute,
  execHiddenBinary,
  dnsExfiltrationShape,
  hardcodedResolver,
  cloudMetadata,
  sensitiveRead,
  outsideWrite,
  literalIp,
  lingeringProcess,
  networkCapability,
  processCapability,
  recordIncomplete,
];

export const runSandboxRules = (input: SandboxRuleInput): SandboxFinding[] =>
  SANDBOX_RULES.flatMap((rule) => rule.run(input));
