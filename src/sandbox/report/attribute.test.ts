import { describe, expect, it } from 'vitest';
import { actorOf, attributeRun, isPackageManagerCommand } from './attribute.js';
import { buildSandboxReport } from './build-report.js';
import { HOME, LOADER, NPM, PACKAGE, PACKAGE_DIR, PROJECT, runBuilder, SUPERVISOR } from './testdata/runs.js';
import { META } from './testdata/scenarios.js';

describe('attribution', () => {
  it('keeps the supervisor and npm trusted, and gives scripts and the loader to the package', () => {
    const run = runBuilder().standard();
    run.script(4110, 'node setup.js').proc(4111, 4110, ['node', 'setup.js']).fork(4112, 4111);
    run.loader().proc(4301, LOADER, ['git', 'rev-parse', 'HEAD']);
    const { processes } = attributeRun(run.build());
    expect(processes.get(SUPERVISOR)?.ofPackage).toBe(false);
    expect(processes.get(4099)?.ofPackage).toBe(false);
    expect(processes.get(NPM)).toMatchObject({ ofPackage: false, phase: 'install', packageManagerCli: true });
    expect(processes.get(4110)).toMatchObject({
      ofPackage: true,
      phase: 'install',
      package: PACKAGE,
      script: 'postinstall',
      packageRoot: PACKAGE_DIR,
    });
    // A fork without exec carries its parent's command and subtree.
    expect(processes.get(4112)).toMatchObject({
      ofPackage: true,
      command: ['node', 'setup.js'],
      script: 'postinstall',
      subtreeRoot: 4110,
    });
    expect(processes.get(LOADER)).toMatchObject({
      ofPackage: true,
      phase: 'import',
      package: PACKAGE,
      packageRoot: PACKAGE_DIR,
    });
    expect(processes.get(4301)).toMatchObject({ ofPackage: true, phase: 'import' });
    expect(actorOf(processes.get(NPM))).toBeUndefined();
    expect(actorOf(processes.get(4111))).toEqual({
      run: 'default',
      phase: 'install',
      pid: 4111,
      command: ['node', 'setup.js'],
      package: PACKAGE,
      script: 'postinstall',
    });
  });

  it('names the dependency whose script runs, with its own directory', () => {
    const run = runBuilder().standard();
    run.script(4120, 'node-gyp rebuild', { pkg: '@acme/native-dep', event: 'install' });
    const info = attributeRun(run.build()).processes.get(4120);
    expect(info).toMatchObject({
      package: '@acme/native-dep',
      script: 'install',
      packageRoot: `${PROJECT}/node_modules/@acme/native-dep`,
    });
  });

  it("trusts the top-most script env: a script cannot shift the blame by forging its children's env", () => {
    const run = runBuilder().standard();
    run.script(4110, 'node x.js');
    run.proc(4111, 4110, ['node', 'x.js'], {
      env: { HOME, npm_lifecycle_event: 'postinstall', npm_package_name: 'innocent-bystander' },
    });
    const info = attributeRun(run.build()).processes.get(4111);
    expect(info?.package).toBe(PACKAGE);
  });

  it('finds phase processes by time when the supervisor did not name their pids', () => {
    const run = runBuilder().standard();
    run.script(4110, 'node x.js').loader();
    const record = run.build();
    record.phases = record.phases.map(({ pid: _pid, ...phase }) => phase);
    const { processes } = attributeRun(record);
    expect(processes.get(NPM)?.phase).toBe('install');
    expect(processes.get(4110)?.ofPackage).toBe(true);
    expect(processes.get(LOADER)?.phase).toBe('import');

    // Nor the supervisor's own pid: the first process of each window whose parent predates it.
    delete record.supervisorPid;
    const again = attributeRun(record).processes;
    expect(again.get(NPM)?.phase).toBe('install');
    expect(again.get(4110)?.ofPackage).toBe(true);
    expect(again.get(LOADER)?.phase).toBe('import');
    expect(again.get(SUPERVISOR)?.ofPackage).toBe(false);
  });

  it("npm's own ~/.npmrc read is not a finding; the same read by a postinstall is", () => {
    const benign = runBuilder().standard().build();
    const clean = buildSandboxReport([benign], META);
    expect(clean.findings).toEqual([]);
    expect(clean.honeytokens.read).toEqual([]);
    expect(clean.files).toEqual([]);
    // The loader is the package's process, but its own script is not the package's read.
    const loaded = runBuilder().standard().loader().open(LOADER, '/opt/bulwark/load-entry.mjs').build();
    expect(buildSandboxReport([loaded], META).files).toEqual([]);

    const run = runBuilder().standard();
    run.script(4110, 'node x.js').proc(4111, 4110, ['node', 'x.js']).open(4111, `${HOME}/.npmrc`);
    const report = buildSandboxReport([run.build()], META);
    expect(report.honeytokens.read).toEqual([
      {
        token: 'npm-token',
        path: `${HOME}/.npmrc`,
        actor: expect.objectContaining({ pid: 4111, script: 'postinstall' }),
      },
    ]);
    expect(report.findings.map((f) => f.rule)).toContain('sandbox-honeytoken-read');
  });

  it('follows a deep fork chain to its script without a depth limit, in linear time', () => {
    const run = runBuilder().standard().script(4110, 'node chain.js');
    for (let pid = 10_000; pid < 30_000; pid++) run.fork(pid, pid === 10_000 ? 4110 : pid - 1);
    const started = performance.now();
    const { processes } = attributeRun(run.build());
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(processes.get(29_999)).toMatchObject({
      ofPackage: true,
      script: 'postinstall',
      subtreeRoot: 4110,
    });
  });

  it('survives a parent cycle in a broken trace', () => {
    const record = runBuilder().standard().fork(5000, 5001).fork(5001, 5000).build();
    const { processes } = attributeRun(record);
    expect(processes.get(5000)?.ofPackage).toBe(false);
  });

  it('recognises package-manager CLIs however they are started', () => {
    expect(isPackageManagerCommand(['npm', 'view', 'x'])).toBe(true);
    expect(isPackageManagerCommand(['/usr/bin/npx', 'x'])).toBe(true);
    expect(isPackageManagerCommand(['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'publish'])).toBe(
      true,
    );
    expect(isPackageManagerCommand(['node', 'npm-cli.js.evil'])).toBe(false);
    expect(isPackageManagerCommand(['node', 'steal.js'])).toBe(false);
  });
});
