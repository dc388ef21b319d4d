import type { BehaviorFinding, PackageFacts } from '../analysis/types.js';
import { analysisIncomplete } from './analysis-incomplete/analysis-incomplete.js';
import { archiveLimitExceeded } from './archive-limit-exceeded/archive-limit-exceeded.js';
import { archiveUnsafeEntry } from './archive-unsafe-entry/archive-unsafe-entry.js';
import { browserWalletClipper } from './browser-wallet-clipper/browser-wallet-clipper.js';
import { credentialExfilChain } from './credential-exfil-chain/credential-exfil-chain.js';
import { credentialFileRead } from './credential-file-read/credential-file-read.js';
import { credentialsBrowserKey } from './credentials-browser-key/credentials-browser-key.js';
import { credentialsCloudMetadata } from './credentials-cloud-metadata/credentials-cloud-metadata.js';
import { credentialsHomeWalk } from './credentials-home-walk/credentials-home-walk.js';
import { credentialsSecretRegex } from './credentials-secret-regex/credentials-secret-regex.js';
import { credentialsWalletHarvest } from './credentials-wallet-harvest/credentials-wallet-harvest.js';
import type { Rule } from './define-rule.js';
import { dependencyHttpUrl } from './dependency-http-url/dependency-http-url.js';
import { drainerWalletPrompt } from './drainer-wallet-prompt/drainer-wallet-prompt.js';
import { envSerializeExfil } from './env-serialize-exfil/env-serialize-exfil.js';
import { evasionEnvKeyedDecrypt } from './evasion-env-keyed-decrypt/evasion-env-keyed-decrypt.js';
import { evasionGeoTargeting } from './evasion-geo-targeting/evasion-geo-targeting.js';
import { evasionInstallLongTimer } from './evasion-install-long-timer/evasion-install-long-timer.js';
import { evasionMonitorToolCheck } from './evasion-monitor-tool-check/evasion-monitor-tool-check.js';
import { evasionSandboxFingerprint } from './evasion-sandbox-fingerprint/evasion-sandbox-fingerprint.js';
import { evasionSelfDelete } from './evasion-self-delete/evasion-self-delete.js';
import { exfilArchiveUpload } from './exfil-archive-upload/exfil-archive-upload.js';
import { exfilCovertHeader } from './exfil-covert-header/exfil-covert-header.js';
import { exfilGithubRepo } from './exfil-github-repo/exfil-github-repo.js';
import { exfilSdkSecret } from './exfil-sdk-secret/exfil-sdk-secret.js';
import { exfilStorageToken } from './exfil-storage-token/exfil-storage-token.js';
import { exfilWalletAddressBattery } from './exfil-wallet-address-battery/exfil-wallet-address-battery.js';
import { exfilWebhookDomain } from './exfil-webhook-domain/exfil-webhook-domain.js';
import { filesystemDestructiveWipe } from './filesystem-destructive-wipe/filesystem-destructive-wipe.js';
import { installGypCommandExpansion } from './install-gyp-command-expansion/install-gyp-command-expansion.js';
import { installScriptBackground } from './install-script-background/install-script-background.js';
import { installScriptDownloadExec } from './install-script-download-exec/install-script-download-exec.js';
import { installScriptInlineCode } from './install-script-inline-code/install-script-inline-code.js';
import { installScriptMissingFile } from './install-script-missing-file/install-script-missing-file.js';
import { installScriptPresent } from './install-script-present/install-script-present.js';
import { installScriptShellDropper } from './install-script-shell-dropper/install-script-shell-dropper.js';
import { metadataDeprecated } from './metadata-deprecated/metadata-deprecated.js';
import { metadataManifestConfusion } from './metadata-manifest-confusion/metadata-manifest-confusion.js';
import { metadataMissingRepository } from './metadata-missing-repository/metadata-missing-repository.js';
import { metadataNewInstallScript } from './metadata-new-install-script/metadata-new-install-script.js';
import { metadataPatchNewDependency } from './metadata-patch-new-dependency/metadata-patch-new-dependency.js';
import { metadataSecurityHolding } from './metadata-security-holding/metadata-security-holding.js';
import { metadataStarjacking } from './metadata-starjacking/metadata-starjacking.js';
import { metadataTyposquatName } from './metadata-typosquat-name/metadata-typosquat-name.js';
import { metadataVersionJump } from './metadata-version-jump/metadata-version-jump.js';
import { minerStrings } from './miner-strings/miner-strings.js';
import { networkDeadDrop } from './network-dead-drop/network-dead-drop.js';
import { networkDnsChannel } from './network-dns-channel/network-dns-channel.js';
import { networkOddPort } from './network-odd-port/network-odd-port.js';
import { networkRawIp } from './network-raw-ip/network-raw-ip.js';
import { networkRegistryLookalike } from './network-registry-lookalike/network-registry-lookalike.js';
import { obfuscationAliasedRequire } from './obfuscation-aliased-require/obfuscation-aliased-require.js';
import { obfuscationComputedRequire } from './obfuscation-computed-require/obfuscation-computed-require.js';
import { obfuscationControlFlowFlattening } from './obfuscation-control-flow-flattening/obfuscation-control-flow-flattening.js';
import { obfuscationEvalDecoded } from './obfuscation-eval-decoded/obfuscation-eval-decoded.js';
import { obfuscationPackedFile } from './obfuscation-packed-file/obfuscation-packed-file.js';
import { obfuscationStringArray } from './obfuscation-string-array/obfuscation-string-array.js';
import { persistenceAiAgentConfig } from './persistence-ai-agent-config/persistence-ai-agent-config.js';
import { persistenceAutostart } from './persistence-autostart/persistence-autostart.js';
import { persistenceCiWorkflow } from './persistence-ci-workflow/persistence-ci-workflow.js';
import { persistenceHiddenExecutable } from './persistence-hidden-executable/persistence-hidden-executable.js';
import { persistenceLoadPathHijack } from './persistence-load-path-hijack/persistence-load-path-hijack.js';
import { persistenceNodeModulesWrite } from './persistence-node-modules-write/persistence-node-modules-write.js';
import { processDropperDetached } from './process-dropper-detached/process-dropper-detached.js';
import { processLocalToolAbuse } from './process-local-tool-abuse/process-local-tool-abuse.js';
import { processLolbinExec } from './process-lolbin-exec/process-lolbin-exec.js';
import { processWindowsDownload } from './process-windows-download/process-windows-download.js';
import { registryPublishFromDependency } from './registry-publish-from-dependency/registry-publish-from-dependency.js';
import { registryTokenProbe } from './registry-token-probe/registry-token-probe.js';
import { runtimeDomScriptInjection } from './runtime-dom-script-injection/runtime-dom-script-injection.js';
import { runtimeNetworkApiPatch } from './runtime-network-api-patch/runtime-network-api-patch.js';
import { runtimeRemoteCode } from './runtime-remote-code/runtime-remote-code.js';
import { runtimeSocketEval } from './runtime-socket-eval/runtime-socket-eval.js';
import { runtimeUnboundedLoop } from './runtime-unbounded-loop/runtime-unbounded-loop.js';
import { runtimeUnpinnedCdnCode } from './runtime-unpinned-cdn-code/runtime-unpinned-cdn-code.js';
import { runtimeWalletProviderHook } from './runtime-wallet-provider-hook/runtime-wallet-provider-hook.js';
import { supplyChainShippedExecutable } from './supply-chain-shipped-executable/supply-chain-shipped-executable.js';
import { unicodeHiddenCode } from './unicode-hidden-code/unicode-hidden-code.js';

export type { ReportInput, Rule, RuleContext, RuleMeta } from './define-rule.js';
export { defineRule } from './define-rule.js';

/** Every detector rule. Explicit on purpose: a rule runs only once someone registers it here. */
export const RULES: readonly Rule[] = [
  credentialsBrowserKey,
  credentialsCloudMetadata,
  credentialsWalletHarvest,
  credentialsSecretRegex,
  credentialsHomeWalk,
  exfilSdkSecret,
  exfilCovertHeader,
  exfilArchiveUpload,
  exfilStorageToken,
  networkDnsChannel,
  networkOddPort,
  networkDeadDrop,
  installScriptPresent,
  installScriptDownloadExec,
  credentialFileRead,
  credentialExfilChain,
  envSerializeExfil,
  exfilWebhookDomain,
  exfilGithubRepo,
  networkRawIp,
  obfuscationEvalDecoded,
  runtimeRemoteCode,
  obfuscationStringArray,
  unicodeHiddenCode,
  persistenceAutostart,
  evasionMonitorToolCheck,
  evasionSandboxFingerprint,
  evasionInstallLongTimer,
  evasionEnvKeyedDecrypt,
  evasionGeoTargeting,
  evasionSelfDelete,
  persistenceNodeModulesWrite,
  persistenceLoadPathHijack,
  persistenceCiWorkflow,
  persistenceAiAgentConfig,
  processLocalToolAbuse,
  processLolbinExec,
  filesystemDestructiveWipe,
  runtimeUnboundedLoop,
  supplyChainShippedExecutable,
  persistenceHiddenExecutable,
  minerStrings,
  registryPublishFromDependency,
  dependencyHttpUrl,
  archiveUnsafeEntry,
  archiveLimitExceeded,
  analysisIncomplete,
  metadataManifestConfusion,
  metadataSecurityHolding,
  metadataDeprecated,
  metadataVersionJump,
  metadataStarjacking,
  metadataMissingRepository,
  metadataTyposquatName,
  metadataNewInstallScript,
  metadataPatchNewDependency,
  installScriptInlineCode,
  installScriptBackground,
  installScriptMissingFile,
  installScriptShellDropper,
  installGypCommandExpansion,
  processWindowsDownload,
  processDropperDetached,
  networkRegistryLookalike,
  browserWalletClipper,
  runtimeWalletProviderHook,
  runtimeNetworkApiPatch,
  exfilWalletAddressBattery,
  runtimeDomScriptInjection,
  runtimeUnpinnedCdnCode,
  drainerWalletPrompt,
  obfuscationComputedRequire,
  obfuscationAliasedRequire,
  obfuscationControlFlowFlattening,
  registryTokenProbe,
  runtimeSocketEval,
  obfuscationPackedFile,
];

/** Runs rules over one package's facts; findings in rule order. */
export const runRules = (facts: PackageFacts, rules: readonly Rule[] = RULES): BehaviorFinding[] =>
  rules.flatMap((rule) => rule.run(facts));

/** Names the rule set's behaviour (`id@version` of each rule), for Assessment.analyzer and caches. */
export const rulesFingerprint = (rules: readonly Rule[] = RULES): string =>
  rules
    .map((rule) => `${rule.id}@${rule.meta.version}`)
    .sort()
    .join(',');
