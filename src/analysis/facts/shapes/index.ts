import type { ESTree } from 'meriyah';
import { analysisToolNames } from './analysis-tool-names.js';
import { clipboardAccess } from './clipboard-access.js';
import { controlFlowFlattening } from './control-flow-flattening.js';
import { countryCheck } from './country-check.js';
import { covertHeader } from './covert-header.js';
import { detachedProcess } from './detached-process.js';
import { dnsEncodedLabel } from './dns-encoded-label.js';
import { domInjection } from './dom-injection.js';
import { editDistance } from './edit-distance.js';
import { encodedTell } from './encoded-tell.js';
import { fsTarget } from './fs-target.js';
import { globalApiOverride } from './global-api-override.js';
import { hardcodedOauthSecret } from './hardcoded-oauth-secret.js';
import { indicatorStrings } from './indicator-strings.js';
import { installHookInjection } from './install-hook-injection.js';
import { loadPathHijack } from './load-path-hijack.js';
import { longTimer } from './long-timer.js';
import { messageHandlerEval } from './message-handler-eval.js';
import { packerSignature } from './packer-signature.js';
import { registryProbeText } from './registry-probe-text.js';
import { requireOnGlobal } from './require-on-global.js';
import { secretFormatRegex } from './secret-format-regex.js';
import { secretToNetwork } from './secret-to-network.js';
import type { ShapeDetector } from './shape-detector.js';
import { tellTaleLiteral } from './tell-tale-literal.js';
import { unboundedLoop } from './unbounded-loop.js';
import { walletDrainRpc } from './wallet-drain-rpc.js';
import { walletPatterns } from './wallet-patterns.js';
import { walletPrompt } from './wallet-prompt.js';

export type { ShapeContext, ShapeDetector } from './shape-detector.js';

/** Every shape detector the walker runs. Explicit: a detector runs once registered here. */
export const SHAPE_DETECTORS: readonly ShapeDetector[] = [
  globalApiOverride,
  walletPatterns,
  walletPrompt,
  domInjection,
  controlFlowFlattening,
  requireOnGlobal,
  messageHandlerEval,
  registryProbeText,
  packerSignature,
  secretToNetwork,
  covertHeader,
  hardcodedOauthSecret,
  secretFormatRegex,
  dnsEncodedLabel,
  indicatorStrings,
  longTimer,
  analysisToolNames,
  tellTaleLiteral,
  fsTarget,
  unboundedLoop,
  loadPathHijack,
  countryCheck,
  encodedTell,
  detachedProcess,
  installHookInjection,
  clipboardAccess,
  editDistance,
  walletDrainRpc,
];

/** Detectors by node type, so the walker pays one map lookup per node. */
export const detectorsByType = (
  detectors: readonly ShapeDetector[] = SHAPE_DETECTORS,
): ReadonlyMap<ESTree.Node['type'], readonly ShapeDetector[]> => {
  const byType = new Map<ESTree.Node['type'], ShapeDetector[]>();
  for (const detector of detectors)
    for (const type of detector.types) {
      const list = byType.get(type);
      if (list) list.push(detector);
      else byType.set(type, [detector]);
    }
  return byType;
};
