import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  registryArgs,
  runClient,
} from '../../support/package-managers.js';

/**
 * Each client's lockfile, and how a lockfile written against the public registry names a
 * tarball: npm keeps the URL and rewrites registry.npmjs.org to the configured registry; Bun
 * keeps "" for the default registry; pnpm and Berry keep no URL. Yarn classic keeps the URL and
 * does NOT rewrite registry.yarnpkg.com (it fetches from there, past any firewall), so its case
 * is a lockfile written through the firewall (`viaFirewall`); tests never reach a public host.
 */
const LOCKFILE: Record<
  ClientId,
  { file: string; publicBase?: string; viaFirewall?: true; frozen: string[] }
> = {
  npm: { file: 'package-lock.json', publicBase: 'https://registry.npmjs.org/', frozen: ['ci'] },
  pnpm: { file: 'pnpm-lock.yaml', frozen: ['install', '--frozen-lockfile'] },
  'yarn-classic': { file: 'yarn.lock', viaFirewall: true, frozen: ['install', '--frozen-lockfile'] },
  'yarn-berry': { file: 'yarn.lock', frozen: ['install', '--immutable'] },
  bun: { file: 'bun.lock', frozen: ['install', '--frozen-lockfile'] },
};

const problems = new Map<ClientId, string | undefined>();
for (const id of CLIENT_IDS) problems.set(id, await clientProblem(id));

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ analysis: false });
}, 120_000);
// No request through the firewall may have been an internal error.
afterAll(() => closeHarness(harness));

/** The lockfile as if it had been written against the public registry (or through the firewall). */
const asIfPublic = (id: ClientId, text: string, upstream: string): string => {
  const base = LOCKFILE[id].viaFirewall ? harness.registry : LOCKFILE[id].publicBase;
  if (base !== undefined) return text.split(upstream).join(base);
  if (id === 'bun')
    return text.replace(new RegExp(`"${upstream.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^"]*"`, 'g'), '""');
  expect(text).not.toContain(upstream);
  return text;
};

for (const id of CLIENT_IDS) {
  const skip = problems.get(id);
  describe
    .skipIf(skip !== undefined)
    .concurrent(`${id}: a frozen lockfile through the firewall`, { timeout: 240_000 }, () => {
      it('fails on a too-new version the lockfile pins, and installs nothing of it', async () => {
        const { project, home } = makeProject(harness, `${id}-frozen`, {
          'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies: { 'bw-clean': '^1.0.0', [FIXTURES.fresh.name]: '^1.0.0' } }, null, 2)}\n`,
        });
        // Written before the firewall: straight from the upstream, the range took the newest.
        const direct = harness.upstream.url;
        const locked = await runClient(id, ['install', ...registryArgs(id, direct)], {
          cwd: project,
          home,
          registry: direct,
        });
        expect(locked.status, explain(locked)).toBe(0);
        const lockfile = join(project, LOCKFILE[id].file);
        const text = readFileSync(lockfile, 'utf8');
        expect(text).toContain(FIXTURES.fresh.hidden);
        writeFileSync(lockfile, asIfPublic(id, text, direct));
        rmSync(join(project, 'node_modules'), { recursive: true, force: true });

        const home2 = join(project, '..', 'home-firewall');
        const run = await runClient(id, [...LOCKFILE[id].frozen, ...registryArgs(id, harness.registry)], {
          cwd: project,
          home: home2,
          registry: harness.registry,
        });
        expect(run.status, explain(run)).not.toBe(0);
        expect(run.output, explain(run)).toContain(FIXTURES.fresh.name);
        expect(existsSync(join(project, 'node_modules/bw-fresh/package.json'))).toBe(false);
        const denied = harness.decisions.filter(
          (d) =>
            d.package === FIXTURES.fresh.name && d.request === 'tarball' && d.client === FIREWALL_CLIENT[id],
        );
        expect(
          denied.map((d) => [d.version, d.action, d.rule]),
          `${explain(run)}\n${JSON.stringify(harness.decisions.filter((d) => d.package === FIXTURES.fresh.name))}`,
        ).toContainEqual([FIXTURES.fresh.hidden, 'deny', 'minimumReleaseAge']);
      });
    });
}
