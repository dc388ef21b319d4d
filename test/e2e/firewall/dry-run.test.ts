import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeHarness,
  FIXTURES,
  type Harness,
  makeProject,
  startHarness,
} from '../../support/firewall-harness.js';
import {
  CLIENT_IDS,
  type ClientId,
  clientProblem,
  explain,
  FIREWALL_CLIENT,
  installedVersion,
  registryArgs,
  runClient,
} from '../../support/package-managers.js';

const DRY_RUN_POLICY = `
dryRun: true
rules:
  minimumReleaseAge: { action: hide, minutes: 1440 }
  installScripts: { action: deny, allow: [] }
`;

const problems = new Map<ClientId, string | undefined>();
for (const id of CLIENT_IDS) problems.set(id, await clientProblem(id));

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ analysis: false, policy: DRY_RUN_POLICY });
}, 120_000);
// No request through the firewall may have been an internal error.
afterAll(() => closeHarness(harness));

for (const id of CLIENT_IDS) {
  describe.skipIf(problems.get(id) !== undefined)(
    `${id} through a dry-run firewall`,
    { timeout: 240_000 },
    () => {
      it('installs what would be hidden or denied, and records what would have happened', async () => {
        const { project, home } = makeProject(harness, `${id}-dry`, {
          'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies: { [FIXTURES.fresh.name]: '^1.0.0', [FIXTURES.scripted.name]: FIXTURES.scripted.version } }, null, 2)}\n`,
        });
        const run = await runClient(id, ['install', ...registryArgs(id, harness.registry)], {
          cwd: project,
          home,
          registry: harness.registry,
        });
        expect(run.status, explain(run)).toBe(0);
        expect(installedVersion(project, FIXTURES.fresh.name)).toBe(FIXTURES.fresh.hidden);
        expect(installedVersion(project, FIXTURES.scripted.name)).toBe(FIXTURES.scripted.version);
        const mine = harness.decisions.filter(
          (d) => d.client === FIREWALL_CLIENT[id] && d.request === 'tarball',
        );
        const outcome = (name: string) =>
          mine.filter((d) => d.package === name).map((d) => [d.version, d.action, d.wouldBe, d.rule]);
        expect(outcome(FIXTURES.fresh.name)).toContainEqual([
          FIXTURES.fresh.hidden,
          'warn',
          'hide',
          'minimumReleaseAge',
        ]);
        expect(outcome(FIXTURES.scripted.name)).toContainEqual([
          FIXTURES.scripted.version,
          'warn',
          'deny',
          'installScripts',
        ]);
      });
    },
  );
}
