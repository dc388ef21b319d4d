import type { Finding, Remediation } from '../core/finding.js';

/**
 * How to fix a finding, as plain text lines (not yet escaped for any output).
 * The first line is a one-line summary; an override adds its package.json snippet.
 */
export const remediationLines = (finding: Finding): string[] => {
  if (finding.type === 'malware') return [MALWARE_FIX, ...extraMalwareAdvice(finding.remediation)];
  return describeRemediation(finding.remediation);
};

export const MALWARE_FIX = 'Remove the package, then treat the machine as compromised (see below).';

export const MALWARE_ADVICE =
  'Any machine or CI job that installed these packages ran malicious code: rotate every secret it ' +
  'held (npm tokens, SSH keys, cloud credentials, CI secrets), remove the packages, and reinstall ' +
  'from a clean machine.';

const extraMalwareAdvice = (remediation: Remediation): string[] =>
  remediation.kind === 'remove' ? [remediation.advice] : [];

export const describeRemediation = (remediation: Remediation): string[] => {
  switch (remediation.kind) {
    case 'refresh':
      return [`Refresh the lockfile (resolves to ${remediation.to}): ${remediation.command}`];
    case 'upgrade':
      return [
        `Upgrade ${remediation.dependency} ${remediation.from} -> ${remediation.to}` +
          `${remediation.major ? ' (major version)' : ''}: ${remediation.command}`,
      ];
    case 'override':
      return [
        `Add an override in package.json (${remediation.field}), then reinstall:`,
        ...overrideSnippet(remediation.field, remediation.key, remediation.value),
        ...(remediation.note ? [remediation.note] : []),
      ];
    case 'remove':
      return [
        remediation.dependency
          ? `Remove ${remediation.dependency}: ${remediation.advice}`
          : remediation.advice,
      ];
    case 'none':
      return [`No fix available: ${remediation.reason}`];
  }
};

/** One-line form for table cells and SARIF messages. */
export const remediationSummary = (finding: Finding): string => {
  const remediation = finding.remediation;
  if (finding.type === 'malware') return 'Remove the package and rotate every secret';
  switch (remediation.kind) {
    case 'refresh':
      return remediation.command;
    case 'upgrade':
      return remediation.command;
    case 'override': {
      const snippet = overrideSnippet(remediation.field, remediation.key, remediation.value);
      return `package.json ${snippet.map((line) => line.trim()).join(' ')}`;
    }
    case 'remove':
      return remediation.dependency ? `remove ${remediation.dependency}` : remediation.advice;
    case 'none':
      return `no fix: ${remediation.reason}`;
  }
};

/** The package.json fragment for an override at a dotted field path (`pnpm.overrides`). */
export const overrideSnippet = (field: string, key: string, value: string): string[] => {
  const path = field.split('.').filter((part) => part !== '');
  const lines: string[] = [];
  path.forEach((part, depth) => {
    lines.push(`${'  '.repeat(depth)}${JSON.stringify(part)}: {`);
  });
  lines.push(`${'  '.repeat(path.length)}${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  for (let depth = path.length - 1; depth >= 0; depth--) lines.push(`${'  '.repeat(depth)}}`);
  return lines;
};
