/** A pnpm 9 lockfile (`pnpm-lock.yaml`) installing `installed` (name → version) at the root, as pnpm writes it. */
export const pnpmLockfile = (
  installed: Record<string, string>,
  integrity: (name: string, version: string) => string,
): string =>
  [
    "lockfileVersion: '9.0'",
    '',
    'settings:',
    '  autoInstallPeers: true',
    '  excludeLinksFromLockfile: false',
    '',
    'importers:',
    '  .:',
    '    dependencies:',
    ...Object.entries(installed).flatMap(([name, version]) => [
      `      ${name}:`,
      `        specifier: ${version}`,
      `        version: ${version}`,
    ]),
    '',
    'packages:',
    ...Object.entries(installed).flatMap(([name, version]) => [
      `  ${name}@${version}:`,
      `    resolution: {integrity: ${integrity(name, version)}}`,
    ]),
    '',
    'snapshots:',
    ...Object.entries(installed).map(([name, version]) => `  ${name}@${version}: {}`),
    '',
  ].join('\n');
