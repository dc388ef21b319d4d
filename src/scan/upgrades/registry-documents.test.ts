import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentSource, readDocument } from './registry-documents.js';
import { type ReleaseRegistry, startReleaseRegistry } from './testdata/release-registry.js';

let registry: ReleaseRegistry;

beforeAll(async () => {
  registry = await startReleaseRegistry();
  registry.publish('doc-lib', '1.0.0', new Uint8Array([1]), {
    manifest: { _npmUser: { name: 'alice' }, readme: 'x'.repeat(10_000), gitHead: 'abc' },
  });
  registry.publish('doc-lib', '1.1.0', new Uint8Array([2]), { manifest: { deprecated: 'use doc-lib-ng' } });
});

afterAll(() => registry.close());

const source = (cacheDir: string, maxAgeMs?: number) =>
  createDocumentSource({
    projectDir: cacheDir,
    registry: registry.url,
    cacheDir,
    ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
  });

describe('createDocumentSource', () => {
  it('reads the full document once, keeps what the check needs, and caches the slim form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-docs-'));
    const doc = (await source(dir).get('doc-lib'))!;
    expect(doc.latest).toBe('1.1.0');
    expect(doc.releases.get('1.1.0')).toMatchObject({ deprecated: 'use doc-lib-ng' });
    expect(doc.releases.get('1.0.0')?.integrity).toMatch(/^sha512-/);
    const first = (doc.raw.versions as Record<string, Record<string, unknown>>)['1.0.0']!;
    expect(first).toMatchObject({ _npmUser: { name: 'alice' }, gitHead: 'abc' });
    expect(first.readme).toBeUndefined();
    expect(doc.raw.time).toBeDefined();

    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file!), 'utf8')).not.toContain('xxxxxxxx');
    const requests = registry.requests.length;
    expect((await source(dir).get('doc-lib'))!.latest).toBe('1.1.0');
    expect(registry.requests.length).toBe(requests);
  });

  it('caches a value derived from a document as long as the document, and recomputes a rejected one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-docs-'));
    let computed = 0;
    const compute = (doc: { latest?: string }) => {
      computed++;
      return { latest: doc.latest };
    };
    const valid = (value: unknown): value is { latest?: string } =>
      typeof value === 'object' && value !== null;
    expect(await source(dir).derived('doc-lib', 'k', compute, valid)).toEqual({ latest: '1.1.0' });
    expect(await source(dir).derived('doc-lib', 'k', compute, valid)).toEqual({ latest: '1.1.0' });
    expect(computed).toBe(1);
    const never = (value: unknown): value is { latest?: string } => value === 'never';
    await source(dir).derived('doc-lib', 'k', compute, never);
    expect(computed).toBe(2);
    // an expired document expires what was derived from it
    await source(dir, 0).derived('doc-lib', 'k', compute, valid);
    expect(computed).toBe(3);
  });

  it('answers undefined for a package the registry does not have', async () => {
    expect(await source(mkdtempSync(join(tmpdir(), 'bulwark-docs-'))).get('no-such-package')).toBeUndefined();
  });

  it('drops odd releases of a hostile document instead of failing', () => {
    const doc = readDocument(
      JSON.stringify({
        name: 'x',
        'dist-tags': { latest: 'nope' },
        versions: { '1.0.0': 'text', '1.0.1': { dist: 7 } },
      }),
      'test',
    );
    expect([...doc.releases.keys()]).toEqual(['1.0.1']);
    expect(doc.latest).toBeUndefined();
  });
});
