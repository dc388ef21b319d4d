import type { ScanResult, TurnedRelease, UpgradeCheck } from '../core/scan-result.js';

/**
 * Plain-text pieces every report uses for the upgrade check. Nothing here is escaped: versions,
 * reasons and deprecation messages come from the registry, each reporter escapes for its format.
 */

export type Upgrades = NonNullable<ScanResult['upgrades']>;

/** A turned release with the package it belongs to. */
export type TurnedUpgrade = { check: UpgradeCheck; turned: TurnedRelease };

/** Malicious first, then by package. */
export const turnedUpgrades = (upgrades: Upgrades): TurnedUpgrade[] =>
  upgrades.packages
    .flatMap((check) => check.turned.map((turned) => ({ check, turned })))
    .sort(
      (a, b) =>
        Number(b.turned.verdict === 'malicious') - Number(a.turned.verdict === 'malicious') ||
        a.check.name.localeCompare(b.check.name) ||
        a.check.installed.localeCompare(b.check.installed),
    );

/** `newer releases: 40 packages, 96 releases checked (12 analysed, 84 cached) · none turned` */
export const upgradeLine = (upgrades: Upgrades): string => {
  const s = upgrades.summary;
  const parts = [
    `newer releases: ${s.packages} package${s.packages === 1 ? '' : 's'}, ${s.releases} release${s.releases === 1 ? '' : 's'} checked (${s.analysed} analysed, ${s.cached} cached)`,
    s.turned === 0
      ? 'none turned'
      : `${s.turned} turned in ${s.packagesTurned} package${s.packagesTurned === 1 ? '' : 's'}`,
  ];
  const notJudged = upgrades.packages.reduce((n, check) => n + (check.notJudged?.length ?? 0), 0);
  if (notJudged > 0) parts.push(`${notJudged} not judged (time limit, fetch or archive problem)`);
  if (s.unavailable > 0) parts.push(`${s.unavailable} without a registry document`);
  return parts.join(' · ');
};

/** `do not upgrade to lib@1.1.0 (installed 1.0.0): malicious` */
export const turnedHeadline = ({ check, turned }: TurnedUpgrade): string =>
  `do not upgrade to ${check.name}@${turned.version} (installed ${check.installed}): ${turned.verdict}`;

/** `latest deprecated: request@2.88.2 (request has been deprecated …), +3 more`, or undefined. */
export const deprecatedLine = (upgrades: Upgrades, limit = 5, messageLimit = 80): string | undefined => {
  const deprecated = upgrades.packages.filter((check) => check.latestDeprecated !== undefined);
  if (deprecated.length === 0) return undefined;
  const shown = deprecated.slice(0, limit).map((check) => {
    const message = check.latestDeprecated!;
    const cut = message.length > messageLimit ? `${message.slice(0, messageLimit)}…` : message;
    return `${check.name}@${check.latest} (${cut})`;
  });
  const more = deprecated.length > limit ? `, +${deprecated.length - limit} more` : '';
  return `latest release deprecated: ${shown.join(', ')}${more}`;
};
