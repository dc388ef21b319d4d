import type { Assessment, BehaviorFinding } from '../analysis/types.js';
import { compareSeverity } from '../core/severity.js';
import type { DependencyChange, PackageDelta } from './delta.js';
import type { GradedTransition } from './metadata/grading.js';

export type TransitionVerdict = 'benign' | 'suspicious' | 'malicious';

/** The hooks npm runs on a registry install; prepare* run for git and local installs only. */
const REGISTRY_INSTALL_HOOKS = new Set(['preinstall', 'install', 'postinstall']);

/** The verdict on a release transition and what drove it. */
export type Transition = {
  verdict: TransitionVerdict;
  /** One line per reason, most serious first. */
  reasons: string[];
  /** The findings new in `to` behind the verdict, most severe first. */
  evidence: BehaviorFinding[];
};

/**
 * malicious: `to` is malicious, `from` was not, and threats new in `to` are what changed; or a
 * dependency new in `to` is itself malicious (event-stream → flatmap-stream); or an install hook
 * added or changed runs a file where a new high-severity threat fired; or a newly obfuscated file
 * references credential stores in a package with network access.
 * suspicious: new threats (unless only low-confidence ones in a release still clean), an install hook npm runs from the registry (preinstall, install,
 * postinstall; not prepare, not a plain native build) added or changed, or a network capability gained
 * together with a newly referenced sensitive path (a credential file read and a way to send it),
 * or a high-severity registry-metadata transition (a new publisher who also dropped provenance),
 * or a release that semver calls compatible removing or emptying its main entry (sabotage:
 * faker 6.6.6, or a broken publish), or a brand-new, little-used dependency together with another
 * signal (any reason above, a medium metadata transition, or the dependency's own `suspicious`).
 * benign: anything else — capabilities alone (a new `fs` use, a new dependency) are not a turn.
 */
export const transitionVerdict = (
  from: Assessment,
  to: Assessment,
  delta: PackageDelta,
  metadata: readonly GradedTransition[] = [],
): Transition => {
  const evidence = [...delta.findings].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || a.rule.localeCompare(b.rule),
  );
  const reasons: string[] = [];
  const turned = to.verdict === 'malicious' && from.verdict !== 'malicious' && evidence.length > 0;
  const newDependencies = [...delta.dependencies.added, ...delta.dependencies.changed].filter(
    (d): d is DependencyChange & { registry: NonNullable<DependencyChange['registry']> } =>
      d.registry !== undefined,
  );
  const maliciousDependencies = newDependencies.filter((d) => d.registry.verdict === 'malicious');
  for (const d of maliciousDependencies)
    reasons.push(
      `new dependency ${dependencyId(d)} is malicious (score ${(d.registry.score ?? 0).toFixed(1)}${d.registry.rules?.length ? `: ${d.registry.rules.join(', ')}` : ''})`,
    );
  if (turned)
    reasons.push(
      `${from.verdict} → malicious (score ${from.score.toFixed(1)} → ${to.score.toFixed(1)}) by ${rules(evidence)}`,
    );
  // Low-confidence findings in a release the analyser still calls clean are listed, not a turn.
  else if (evidence.length > 0 && !(to.verdict === 'clean' && evidence.every((f) => f.confidence === 'low')))
    reasons.push(`new threat findings: ${rules(evidence)}`);
  // A prepare hook added or changed is listed in the delta; the install-script rules judge what it runs.
  // So is a native build (node-gyp, prebuild-install) whose binding.gyp runs no commands of its own.
  const installHooks = delta.installScripts.filter(
    (c) => REGISTRY_INSTALL_HOOKS.has(c.script) && !isPlainNativeBuild(c, evidence),
  );
  for (const change of installHooks)
    reasons.push(
      change.from === undefined
        ? `install script added: ${change.script}`
        : `install script changed: ${change.script}`,
    );
  // Escalations: signals each short of decisive alone that, arriving together in one release, are
  // the shape of a takeover. The analyser's verdict on `to` may miss them (string-array obfuscation
  // it cannot decode, a medium-confidence dropper), the transition does not.
  const escalations: string[] = [];
  for (const change of installHooks) {
    const run = evidence.filter(
      (f) =>
        f.file !== undefined &&
        change.runsFiles.includes(f.file) &&
        (f.severity === 'high' || f.severity === 'critical'),
    );
    if (run.length > 0)
      escalations.push(
        `the new ${change.script} hook runs ${[...new Set(run.map((f) => f.file))].join(', ')}, where ${rules(run)} fired: install-time code added in the same release`,
      );
  }
  const hiddenTheft = delta.obfuscatedFiles.filter((file) => delta.credentialFiles.includes(file));
  if (hiddenTheft.length > 0 && to.capabilities.includes('network'))
    escalations.push(
      `newly obfuscated ${hiddenTheft.join(', ')} reference${hiddenTheft.length === 1 ? 's' : ''} credential stores (${delta.sensitivePaths.join(', ')}) in a package that reaches the network`,
    );
  if (!turned) reasons.unshift(...escalations);
  const gainsNetwork = delta.added.includes('network') || delta.hosts.length > 0 || delta.ips.length > 0;
  const credentialAndNetwork = delta.sensitivePaths.length > 0 && gainsNetwork;
  if (credentialAndNetwork)
    reasons.push(
      `reads ${delta.sensitivePaths.join(', ')} and reaches ${[...delta.hosts, ...delta.ips].join(', ') || 'the network'} for the first time`,
    );
  // Each metadata signal alone is common in honest histories; only the graded-high pairs count.
  for (const change of metadata)
    if (change.severity === 'high' || change.severity === 'critical') reasons.push(change.message);
  const sabotage = sabotageReason(delta);
  if (sabotage) reasons.push(sabotage);
  // Many honest releases add a young dependency (a split-out helper, a new scoped package): one
  // from nowhere is a reason only beside another signal.
  const otherSignal =
    reasons.length > 0 || metadata.some((m) => m.severity === 'medium') || maliciousDependencies.length > 0;
  for (const d of newDependencies) {
    if (!d.registry.brandNew || !d.registry.littleUsed || d.registry.verdict === 'malicious') continue;
    if (otherSignal || d.registry.verdict === 'suspicious')
      reasons.push(
        `new dependency ${dependencyId(d)} is brand new and little used (${d.registry.signals.join(', ')})${d.registry.verdict === 'suspicious' ? ' and itself suspicious' : ''}`,
      );
  }
  const verdict: TransitionVerdict =
    turned || maliciousDependencies.length > 0 || escalations.length > 0
      ? 'malicious'
      : reasons.length > 0
        ? 'suspicious'
        : 'benign';
  return { verdict, reasons, evidence };
};

/**
 * `node-gyp rebuild`, `node-gyp-build`, `prebuild-install`, `node-pre-gyp install`: npm runs
 * node-gyp for any package with a binding.gyp anyway. Not plain when binding.gyp runs commands
 * (`<!(…)`), which the install-gyp-command-expansion rule reports.
 */
const isPlainNativeBuild = (
  change: PackageDelta['installScripts'][number],
  evidence: readonly BehaviorFinding[],
): boolean =>
  (change.benign === 'node-gyp' || change.benign === 'prebuild') &&
  !evidence.some((f) => f.rule === 'install-gyp-command-expansion');

/** A release semver calls compatible that removes or empties its main entry. */
const sabotageReason = ({ exportsRemoved: removed }: PackageDelta): string | undefined => {
  if (removed.breaking !== false || (!removed.mainRemoved && !removed.mainEmptied)) return undefined;
  const what = removed.mainRemoved ? 'removes its main entry' : 'empties its main entry (it exports nothing)';
  return `a compatible (non-major) release ${what}: sabotage or a broken publish`;
};

const dependencyId = (
  d: DependencyChange & { registry: NonNullable<DependencyChange['registry']> },
): string =>
  `${d.name}${d.registry.package === d.name ? '' : ` (${d.registry.package})`}${d.registry.resolved ? `@${d.registry.resolved}` : ''}`;

const rules = (findings: readonly BehaviorFinding[]): string =>
  [...new Set(findings.map((f) => f.rule))].join(', ');
