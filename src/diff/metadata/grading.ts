import type { Confidence } from '../../analysis/types.js';
import type { Severity } from '../../core/severity.js';
import type { MetadataTransition, TransitionKind } from './transitions.js';

export type GradedTransition = MetadataTransition & { severity: Severity; confidence: Confidence };

type Grade = { severity: Severity; confidence: Confidence };

/**
 * A severity and confidence for each transition, read together with the others of the same
 * release: each signal alone is common in honest histories (owners change, projects move,
 * CI is rewired), while some pairs are the shape of an account takeover.
 *
 * | transition          | alone           | raised when                                                           |
 * |---------------------|-----------------|-----------------------------------------------------------------------|
 * | trust-downgrade     | medium / medium | high / high with a publisher change                                   |
 * | publisher-change    | medium / medium | high / high with a trust downgrade; low / low if `to` used trusted publishing |
 * | maintainers-changed | low / medium    | medium / medium when the new publisher is one of the added maintainers |
 * | repository-changed  | medium / medium | low / medium when removed rather than replaced, or renamed under the same owner |
 * | dormant-republish   | low / medium    | medium / medium with a publisher change                               |
 * | version-jump        | low / low       | medium / medium to major 99 or above (dependency confusion)           |
 * | release-burst       | low / low       |                                                                       |
 * | githead-missing     | low / low       |                                                                       |
 */
export const gradeTransitions = (transitions: readonly MetadataTransition[]): GradedTransition[] => {
  const kinds = new Set<TransitionKind>(transitions.map((transition) => transition.kind));
  const publisher = transitions.find((transition) => transition.kind === 'publisher-change');
  return transitions.map((transition) => ({ ...transition, ...grade(transition, kinds, publisher) }));
};

const grade = (
  transition: MetadataTransition,
  kinds: ReadonlySet<TransitionKind>,
  publisher: Extract<MetadataTransition, { kind: 'publisher-change' }> | undefined,
): Grade => {
  switch (transition.kind) {
    case 'trust-downgrade':
      return kinds.has('publisher-change') ? g('high', 'high') : g('medium', 'medium');
    case 'publisher-change':
      if (kinds.has('trust-downgrade')) return g('high', 'high');
      // Moving to OIDC publishing renames the publisher to the CI bot: more trust, not less.
      return transition.evidence.trustedPublishing ? g('low', 'low') : g('medium', 'medium');
    case 'maintainers-changed':
      return publisher !== undefined && transition.evidence.added.includes(publisher.evidence.publisher)
        ? g('medium', 'medium')
        : g('low', 'medium');
    case 'repository-changed':
      return transition.evidence.to === undefined ||
        sameOwner(transition.evidence.from, transition.evidence.to)
        ? g('low', 'medium')
        : g('medium', 'medium');
    case 'dormant-republish':
      return kinds.has('publisher-change') ? g('medium', 'medium') : g('low', 'medium');
    case 'version-jump':
      return Number.parseInt(transition.evidence.version, 10) >= 99 ? g('medium', 'medium') : g('low', 'low');
    case 'release-burst':
    case 'githead-missing':
      return g('low', 'low');
  }
};

const g = (severity: Severity, confidence: Confidence): Grade => ({ severity, confidence });

/**
 * Both normalised URLs (`https://host/owner/repo`) under one host and owner: a project renamed
 * within its organisation, the common honest move (26 of 26 on the top-200 histories kept the owner
 * or the name). A new owner — a transfer, or a fork an attacker controls — stays medium.
 */
const sameOwner = (from: string | undefined, to: string): boolean => {
  const owner = (url: string | undefined) =>
    /^https:\/\/([^/]+\/[^/]+)\/[^/]+$/.exec(url ?? '')?.[1]?.toLowerCase();
  const before = owner(from);
  return before !== undefined && before === owner(to);
};
