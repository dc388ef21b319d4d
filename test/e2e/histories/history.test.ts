import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeTransitions } from '../../../src/diff/metadata/grading.js';
import { metadataTransitions, trustLevel } from '../../../src/diff/metadata/transitions.js';
import { GITHUB_ACTIONS, history, type PackedHistory, type Person } from './history.js';
import { type HistoryRegistry, startHistoryRegistry } from './registry.js';

const ana: Person = { name: 'ana', email: 'ana@example.com' };
const bo: Person = { name: 'bo', email: 'bo@example.com' };
const oidc = { id: 'github' as const, oidcConfigId: 'oidc:00000000-0000-4000-8000-000000000000' };

let packed: PackedHistory;
let registry: HistoryRegistry;

beforeAll(async () => {
  packed = await history('@scope/widget', {
    description: 'a widget',
    license: 'MIT',
    repository: { type: 'git', url: 'git+https://github.com/scope/widget.git' },
  })
    .release('1.0.0', {
      files: { 'index.js': 'module.exports = 1;\n' },
      time: '2025-01-01T00:00:00.000Z',
      npmUser: ana,
      gitHead: 'a'.repeat(40),
      provenance: true,
    })
    .release('1.1.0', {
      files: { 'index.js': 'module.exports = 2;\n' },
      time: '2025-02-01T00:00:00.000Z',
      trustedPublisher: oidc,
      gitHead: 'b'.repeat(40),
    })
    .release('1.1.1', {
      files: { 'index.js': 'module.exports = 3;\n', 'binding.gyp': '{"targets":[]}\n' },
      manifest: { main: 'index.js' },
      time: '2025-02-02T00:00:00.000Z',
      npmUser: bo,
      maintainers: [ana, bo],
    })
    .pack();
  registry = await startHistoryRegistry([packed]);
});

afterAll(async () => {
  await registry?.close();
});

const get = async (path: string, accept = 'application/json') =>
  fetch(new URL(path, registry.url), { headers: { accept } });

/** A served document, loosely typed: the tests read it as a client would. */
// biome-ignore lint/suspicious/noExplicitAny: registry JSON read field by field
const json = async (response: Response): Promise<any> => response.json();

describe('history builder and loopback registry', () => {
  it('serves the full document in the registry format, with publishers, maintainers, trust and times', async () => {
    const doc = await json(await get('@scope%2fwidget'));
    expect(doc).toMatchObject({
      _id: '@scope/widget',
      name: '@scope/widget',
      'dist-tags': { latest: '1.1.1' },
      time: {
        created: '2025-01-01T00:00:00.000Z',
        modified: '2025-02-02T00:01:00.000Z',
        '1.0.0': '2025-01-01T00:00:00.000Z',
      },
      maintainers: [ana, bo],
      repository: { type: 'git', url: 'git+https://github.com/scope/widget.git' },
    });
    const [v100, v110, v111] = ['1.0.0', '1.1.0', '1.1.1'].map((v) => doc.versions[v]);
    expect(v100).toMatchObject({
      name: '@scope/widget',
      version: '1.0.0',
      _id: '@scope/widget@1.0.0',
      _npmUser: ana,
      maintainers: [ana],
      gitHead: 'a'.repeat(40),
      dist: {
        tarball: `${registry.url}@scope/widget/-/widget-1.0.0.tgz`,
        fileCount: 2,
        attestations: {
          url: `${registry.url}-/npm/v1/attestations/@scope/widget@1.0.0`,
          provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
        },
      },
    });
    expect(v110._npmUser).toEqual({ ...GITHUB_ACTIONS, trustedPublisher: oidc });
    expect(v110.maintainers).toEqual([ana]);
    expect([v100, v110, v111].map(trustLevel)).toEqual(['provenance', 'trusted-publisher', 'none']);
    // npm's publish-time normalisation of a package with a binding.gyp and no install script.
    expect(v111).toMatchObject({ scripts: { install: 'node-gyp rebuild' }, gypfile: true });
    expect(v111.gitHead).toBeUndefined();
  });

  it('serves tarballs whose sha512 and sha1 are the ones the document names', async () => {
    const doc = registry.document('@scope/widget') as {
      versions: Record<string, { dist: Record<string, string> }>;
    };
    const dist = doc.versions['1.1.1']!.dist;
    const response = await fetch(dist.tarball!);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(`sha512-${createHash('sha512').update(bytes).digest('base64')}`).toBe(dist.integrity);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(dist.shasum);
    const tar = gunzipSync(bytes).toString('latin1');
    expect(tar).toContain('package/package.json');
    expect(tar).toContain('"version": "1.1.1"');
  });

  it('answers the abbreviated document to installers, without publishers or times', async () => {
    const response = await get('@scope%2fwidget', 'application/vnd.npm.install-v1+json; q=1.0, */*');
    expect(response.headers.get('content-type')).toBe('application/vnd.npm.install-v1+json');
    const doc = await json(response);
    expect(doc.time).toBeUndefined();
    expect(doc.versions['1.1.1']).toMatchObject({ version: '1.1.1', hasInstallScript: true });
    expect(doc.versions['1.0.0']._npmUser).toBeUndefined();
    expect((await get('nothing-here')).status).toBe(404);
  });

  it('gives the metadata transitions its history was written to show', () => {
    const graded = gradeTransitions(
      metadataTransitions(registry.document('@scope/widget'), '1.1.0', '1.1.1'),
    );
    expect(graded.map(({ kind, severity }) => [kind, severity])).toEqual([
      ['publisher-change', 'high'],
      ['maintainers-changed', 'medium'],
      ['trust-downgrade', 'high'],
      ['githead-missing', 'low'],
    ]);
  });
});
