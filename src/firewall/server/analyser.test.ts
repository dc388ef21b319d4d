import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxVerdicts, type StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';
import { storedVerdict } from '../../sandbox/store/testdata/stored-verdict.js';
import { buildTestWorker } from '../../scan/analysis/testdata/build-worker.js';
import { benignPackage, sri } from '../../scan/analysis/testdata/packages.js';
import { createTarballAnalyser } from './analyser.js';

/** What static analysis finds in the benign fixture (a capability, no threat). */
const STATIC = ['metadata-missing-repository'];

let workerUrl: URL;
let dir: string;

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  dir = mkdtempSync(join(tmpdir(), 'bulwark-firewall-analyser-'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verdict = (integrity: string, over: Partial<StoredSandboxVerdict> = {}): StoredSandboxVerdict =>
  storedVerdict(integrity, {
    findings: [{ rule: 'exfil-dns', severity: 'high', message: 'TXT queries to c2.invalid' }],
    ...over,
  });

const assessmentRows = (cachePath: string): number => {
  const db = new Database(cachePath, { readonly: true });
  const { n } = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM assessments').get()!;
  db.close();
  return n;
};

describe('createTarballAnalyser with stored sandbox verdicts', () => {
  it('applies the sandbox verdict over the static one, read on every request', async () => {
    const cachePath = join(dir, 'overlay', 'assessments.db');
    const analyser = await createTarballAnalyser({ cachePath, workers: 1, workerUrl });
    const bytes = await benignPackage('fixture');
    const integrity = sri(bytes);
    try {
      expect(await analyser.analyse('fixture', '1.0.0', integrity, bytes)).toEqual({
        analysis: { verdict: 'clean', rules: STATIC },
      });
      const store = openSandboxVerdicts(cachePath);
      store.put(verdict(integrity, { verdict: 'suspicious', score: 5 }));
      expect(await analyser.analyse('fixture', '1.0.0', integrity, bytes)).toEqual({
        analysis: { verdict: 'suspicious', rules: ['sandbox/exfil-dns', ...STATIC] },
      });
      store.put(verdict(integrity));
      expect(analyser.cachedVerdicts('fixture', [{ version: '1.0.0', integrity }])).toEqual(
        new Map([['1.0.0', { analysis: { verdict: 'malicious', rules: ['sandbox/exfil-dns', ...STATIC] } }]]),
      );
      // A clean sandbox run never lowers what static analysis found, nor raises a clean verdict.
      store.put(verdict(integrity, { verdict: 'clean', findings: [] }));
      store.close();
      expect(await analyser.analyse('fixture', '1.0.0', integrity, bytes)).toEqual({
        analysis: { verdict: 'clean', rules: STATIC },
      });
    } finally {
      await analyser.close();
    }
  }, 60_000);

  it('answers a malicious sandbox verdict without static analysis, even for bytes it could not read', async () => {
    const cachePath = join(dir, 'short', 'assessments.db');
    const junk = Buffer.from('not a tarball');
    const integrity = sri(junk);
    const other = sri(Buffer.from('other bytes'));
    const analyser = await createTarballAnalyser({ cachePath, workers: 1, workerUrl });
    const store = openSandboxVerdicts(cachePath);
    store.put(verdict(integrity));
    store.close();
    try {
      const malicious = { analysis: { verdict: 'malicious', rules: ['sandbox/exfil-dns'] } };
      expect(
        analyser.cachedVerdicts('fixture', [
          { version: '1.0.0', integrity },
          { version: '2.0.0', integrity: other },
        ]),
      ).toEqual(new Map([['1.0.0', malicious]]));
      expect(await analyser.analyse('fixture', '1.0.0', integrity, junk)).toEqual(malicious);
      expect(assessmentRows(cachePath)).toBe(0);
      // Without a sandbox verdict the same bytes are a failure, as before.
      expect(
        (await analyser.analyse('fixture', '2.0.0', other, Buffer.from('other bytes'))).failures?.[0],
      ).toMatch(/archive cannot be read/);
    } finally {
      await analyser.close();
    }
  }, 60_000);

  it('works as before, with one warning, when the database cannot be opened', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const warnings: string[] = [];
    const analyser = await createTarballAnalyser({
      cachePath: join(blocker, 'assessments.db'),
      workers: 1,
      workerUrl,
      onWarning: (message) => warnings.push(message),
    });
    const bytes = await benignPackage('fixture');
    try {
      const integrity = sri(bytes);
      expect(await analyser.analyse('fixture', '1.0.0', integrity, bytes)).toEqual({
        analysis: { verdict: 'clean', rules: STATIC },
      });
      expect(analyser.cachedVerdicts('fixture', [{ version: '1.0.0', integrity }]).get('1.0.0')).toEqual({
        analysis: { verdict: 'clean', rules: STATIC },
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/cannot open the assessment cache/);
    } finally {
      await analyser.close();
    }
  }, 60_000);
});
