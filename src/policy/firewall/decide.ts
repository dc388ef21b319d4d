import semver from 'semver';
import { atLeast } from '../../core/severity.js';
import type {
  Action,
  Decision,
  FirewallPolicy,
  PolicyException,
  RuleId,
  RuleMatch,
  Subject,
  TrustLevel,
} from './types.js';

const STRENGTH: Record<Action, number> = { allow: 0, warn: 1, hide: 2, deny: 3 };
const TRUST: Record<TrustLevel, number> = { none: 0, provenance: 1, trustedPublisher: 2 };
const MALWARE_RULES: ReadonlySet<RuleId> = new Set(['malware', 'malicious']);

/** The stronger of two actions: deny > hide > warn > allow. */
export const strongerAction = (a: Action, b: Action): Action => (STRENGTH[b] > STRENGTH[a] ? b : a);

/** When an exception stops applying: 00:00 UTC on its `expires` date. */
export const exceptionEnd = (exception: PolicyException): number =>
  Date.parse(`${exception.expires}T00:00:00Z`);

/** Exceptions in the policy that have expired by `now`, to report on load. */
export const expiredExceptions = (policy: FirewallPolicy, now: Date): PolicyException[] =>
  policy.exceptions.filter((e) => exceptionEnd(e) <= now.getTime());

const scopeOf = (name: string): string | undefined => (name.startsWith('@') ? name.split('/')[0] : undefined);

/** Whether an exception covers this package version and rule, regardless of expiry. */
export const exceptionCovers = (
  exception: PolicyException,
  name: string,
  version: string,
  rule: RuleId,
): boolean => {
  // An unpublished version has nothing to serve, so no exception can waive it.
  if (rule === 'unpublished') return false;
  if (exception.package !== undefined && exception.package !== name) return false;
  if (exception.scope !== undefined && exception.scope !== scopeOf(name)) return false;
  if (exception.rules !== undefined && !exception.rules.includes(rule)) return false;
  if (MALWARE_RULES.has(rule) && exception.allowMalware !== true) return false;
  if (
    exception.versions !== undefined &&
    !semver.satisfies(version, exception.versions, { includePrerelease: true })
  ) {
    return false;
  }
  return true;
};

const EXOTIC = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|\.{0,2}\/|~\/)/i;
/** `user/repo` and `user/repo#ref` are GitHub shorthands. */
const GITHUB_SHORTHAND = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

/** A dependency specifier that does not come from a registry: git, http(s), file, link, paths. */
export const isExoticSpecifier = (spec: string): boolean => {
  const s = spec.trim();
  if (s.startsWith('npm:')) {
    const target = s.slice(4);
    const at = target.lastIndexOf('@');
    return at > 0 && isExoticSpecifier(target.slice(at + 1));
  }
  return EXOTIC.test(s) || GITHUB_SHORTHAND.test(s);
};

const formatMinutes = (minutes: number): string => {
  if (minutes < 60) return `${Math.max(0, Math.floor(minutes))} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
};

const LIFECYCLE = new Set(['preinstall', 'install', 'postinstall']);

/** Every rule of the policy that matches the subject, unwaived, in rule order. */
const matchRules = (policy: FirewallPolicy, s: Subject, now: Date): Omit<RuleMatch, 'waiver'>[] => {
  const r = policy.rules;
  const out: Omit<RuleMatch, 'waiver'>[] = [];
  const add = (rule: RuleId, action: Action, reason: string) => {
    if (action !== 'allow') out.push({ rule, action, reason });
  };
  if (s.unpublished) add('unpublished', r.unpublished, 'this version is unpublished');
  if (s.malware && s.malware.length > 0) {
    add(
      'malware',
      r.malware,
      `known malware: ${s.malware.map((m) => (m.summary ? `${m.id} (${m.summary})` : m.id)).join(', ')}`,
    );
  }
  if (s.analysis?.verdict === 'malicious') {
    add(
      'malicious',
      r.malicious,
      `code analysis verdict malicious: ${s.analysis.rules.join(', ') || 'no rule named'}`,
    );
  }
  if (s.analysis?.verdict === 'suspicious') {
    add(
      'suspicious',
      r.suspicious,
      `code analysis verdict suspicious: ${s.analysis.rules.join(', ') || 'no rule named'}`,
    );
  }
  const age = r.minimumReleaseAge;
  if (age.minutes > 0) {
    const published = s.publishedAt === undefined ? Number.NaN : new Date(s.publishedAt).getTime();
    if (Number.isNaN(published)) {
      if (policy.failMode === 'closed')
        add('minimumReleaseAge', age.action, 'publish time unknown, and the policy fails closed');
    } else {
      const minutes = (now.getTime() - published) / 60_000;
      if (minutes < age.minutes) {
        add(
          'minimumReleaseAge',
          age.action,
          `published ${formatMinutes(minutes)} ago, under the minimum release age of ${formatMinutes(age.minutes)}`,
        );
      }
    }
  }
  const scripts = (s.installScripts ?? []).filter((name) => LIFECYCLE.has(name));
  if (scripts.length > 0 && !r.installScripts.allow.includes(`${s.name}@${s.version}`)) {
    add(
      'installScripts',
      r.installScripts.action,
      `runs ${scripts.join(', ')} and ${s.name}@${s.version} is not in installScripts.allow`,
    );
  }
  const vulns = (s.vulnerabilities ?? []).filter((v) => atLeast(v.severity, r.vulnerabilities.severity));
  if (vulns.length > 0) {
    add(
      'vulnerabilities',
      r.vulnerabilities.action,
      `vulnerable: ${vulns.map((v) => `${v.id} (${v.severity})`).join(', ')}`,
    );
  }
  if (s.trust && TRUST[s.trust.current] < TRUST[s.trust.bestEarlier]) {
    const earlier = s.trust.bestEarlierVersion ? ` (${s.trust.bestEarlierVersion})` : '';
    add(
      'trustDowngrade',
      r.trustDowngrade,
      `published with ${s.trust.current === 'none' ? 'no provenance' : s.trust.current}; an earlier version${earlier} had ${s.trust.bestEarlier}`,
    );
  }
  const exotic = Object.entries(s.dependencies ?? {}).filter(([, spec]) => isExoticSpecifier(spec));
  if (exotic.length > 0) {
    add(
      'exoticDependencies',
      r.exoticDependencies,
      `depends on ${exotic.map(([n, spec]) => `${n} from ${spec}`).join(', ')}`,
    );
  }
  if (s.typosquatOf !== undefined) add('typosquat', r.typosquat, `the name imitates ${s.typosquatOf}`);
  if (s.deprecated !== undefined)
    add('deprecated', r.deprecated, `deprecated: ${s.deprecated || '(no message)'}`);
  if (s.failures && s.failures.length > 0)
    add('checkFailed', r.checkFailed, `could not be checked: ${s.failures.join('; ')}`);
  return out;
};

/**
 * Decides what the firewall does with one package version. Pure: `now` is the only clock.
 * The strongest unwaived match wins; a match covered by an active exception is waived.
 */
export const decide = (policy: FirewallPolicy, subject: Subject, now: Date): Decision => {
  const time = now.getTime();
  const expired = new Set<PolicyException>();
  const matches: RuleMatch[] = matchRules(policy, subject, now).map((match) => {
    const covering = policy.exceptions.filter((e) =>
      exceptionCovers(e, subject.name, subject.version, match.rule),
    );
    const active = covering.find((e) => exceptionEnd(e) > time);
    for (const e of covering) if (exceptionEnd(e) <= time) expired.add(e);
    return active ? { ...match, waiver: active } : match;
  });
  matches.sort((a, b) => STRENGTH[b.action] - STRENGTH[a.action]);
  const enforced = matches.find((m) => m.waiver === undefined);
  const base = { matches, expired: [...expired] };
  if (enforced === undefined) {
    const waived = matches[0];
    if (waived === undefined) return { action: 'allow', reason: 'no rule matched', waivable: false, ...base };
    return {
      action: 'allow',
      rule: waived.rule,
      reason: `waived: ${waived.waiver!.reason} (until ${waived.waiver!.expires})`,
      waivable: false,
      waiver: waived.waiver!,
      ...base,
    };
  }
  const decision: Decision = {
    action: enforced.action,
    rule: enforced.rule,
    reason: enforced.reason,
    waivable: enforced.rule !== 'unpublished',
    ...base,
  };
  if (policy.dryRun && STRENGTH[enforced.action] > STRENGTH.warn) {
    decision.wouldBe = enforced.action;
    decision.action = 'warn';
  }
  return decision;
};
