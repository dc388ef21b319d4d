import { createHash } from 'node:crypto';
import type { ReportingDescriptor, Result } from 'sarif';
import type { ScanResult } from '../core/scan-result.js';
import { evidenceLine } from './behavior-text.js';
import { plainLine } from './plain-text.js';
import { truncate } from './terminal-text.js';
import { turnedHeadline, turnedUpgrades } from './upgrade-text.js';

/** One rule for every newer release that turned: not a finding in the project, a warning before an upgrade. */
export const UPGRADE_RULE_ID = 'bulwark/upgrade-turned';

const MESSAGE_LIMIT = 1000;

export const upgradeRule = (): ReportingDescriptor => ({
  id: UPGRADE_RULE_ID,
  shortDescription: { text: 'A newer release of a dependency turned: do not upgrade to it' },
  fullDescription: {
    text:
      'A release newer than the installed one has malicious or newly suspicious code, or a takeover-shaped ' +
      'registry-metadata change (new publisher, lost provenance). The installed release is not affected.',
  },
  help: {
    text: 'Stay on the installed release or pick a newer one that did not turn; bulwark diff <name> <installed> <release> shows the change.',
  },
  defaultConfiguration: { level: 'warning' },
  properties: { 'security-severity': '8.0', tags: ['security', 'supply-chain', 'upgrade', 'npm'] },
});

/** The SARIF rule and one result per turned release; nothing when the check found none. */
export const upgradeSarif = (
  result: ScanResult,
  ruleIndex: number,
  uri: string,
): { rules: ReportingDescriptor[]; results: Result[] } => {
  const turned = result.upgrades ? turnedUpgrades(result.upgrades) : [];
  if (turned.length === 0) return { rules: [], results: [] };
  return {
    rules: [upgradeRule()],
    results: turned.map((entry) => {
      const { check, turned: release } = entry;
      const label = plainLine(`${check.name}@${release.version}`);
      const evidence = release.findings.slice(0, 3).map((item) => truncate(evidenceLine(item), 200));
      const text = truncate(
        plainLine(`${turnedHeadline(entry)}. ${[...release.reasons, ...evidence].join('; ')}`),
        MESSAGE_LIMIT,
      );
      return {
        ruleId: UPGRADE_RULE_ID,
        ruleIndex,
        level: release.verdict === 'malicious' ? 'error' : 'warning',
        message: { text },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri } },
            logicalLocations: [{ name: label, fullyQualifiedName: `npm:${label}`, kind: 'module' }],
          },
        ],
        partialFingerprints: {
          'bulwark/upgrade/v1': createHash('sha256')
            .update([UPGRADE_RULE_ID, check.name, check.installed, release.version].join('\n'))
            .digest('hex'),
        },
        properties: {
          package: { name: check.name, version: check.installed },
          release: release.version,
          verdict: release.verdict,
          reasons: release.reasons,
          findings: release.findings,
          metadata: release.metadata,
        },
      } satisfies Result;
    }),
  };
};
