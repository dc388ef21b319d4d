import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRC32,
  DEEP_MERGE,
  DURATION,
  nativeBuild,
  newMaintainer,
  OBJECT_PATH,
  refactor,
  rewrite,
} from './fixtures/benign.js';
import { nodeAddonApi, nodeGypBuild, tslib } from './fixtures/established.js';
import { EVENT_STREAM, eventStream, FLATMAP_STREAM, flatmapStream } from './fixtures/event-stream.js';
import { maintainerTakeover, SPRINTF_TABLE } from './fixtures/maintainer-takeover.js';
import { provenanceDowngrade, URL_TEMPLATE } from './fixtures/provenance-downgrade.js';
import { XMLRPC, xmlrpcTurn } from './fixtures/xmlrpc-turn.js';
import { type HistoryRegistry, startHistoryRegistry } from './registry.js';
import { runCliAsync } from './run-cli-async.js';

/**
 * Realistic release histories (publishers, maintainers, provenance, trusted publishing, times,
 * gitHead) served by a loopback registry, and the transition verdict `bulwark diff <name> <from>
 * <to>` gives for each step, through the bundled CLI.
 */

type Finding = { rule: string; severity: string; file: string | null; line: number | null };
type Metadata = { kind: string; severity: string; message: string };
type Report = {
  verdict: 'benign' | 'suspicious' | 'malicious';
  reasons: string[];
  added: string[];
  removed: string[];
  findings: Finding[];
  metadata: Metadata[];
  installScripts: { script: string; from?: string; to: string; runsFiles: string[]; benign?: string }[];
  hosts: string[];
  sensitivePaths: string[];
  obfuscatedFiles: string[];
  binaryFiles: string[];
  dependencies: { added: { name: string; field: string; to?: string }[] };
  files: { added: string[]; removed: string[]; changed: string[] };
  from: { version: string; verdict: string };
  to: { version: string; verdict: string };
};

/** Each CLI run is bounded (run-cli-async); a test also waits for its turn among the others. */
const TIMEOUT = 240_000;

let registry: HistoryRegistry;

beforeAll(async () => {
  const histories = await Promise.all(
    [
      xmlrpcTurn(),
      maintainerTakeover(),
      provenanceDowngrade(),
      eventStream(),
      flatmapStream(),
      refactor(),
      rewrite(),
      nativeBuild(),
      newMaintainer(),
      tslib(),
      nodeGypBuild(),
      nodeAddonApi(),
    ].map((history) => history.pack()),
  );
  registry = await startHistoryRegistry(histories);
});

afterAll(async () => {
  await registry?.close();
});

/** `bulwark diff <name> <from> <to> -f json` against the loopback registry. */
const diffJson = async (
  name: string,
  from: string,
  to: string,
): Promise<{ report: Report; status: number | null }> => {
  const run = await runCliAsync(['diff', name, from, to, '--registry', registry.url, '-f', 'json']);
  expect(run.stderr, `${name} ${from} → ${to}`).toBe('');
  return { report: JSON.parse(run.stdout) as Report, status: run.status };
};

/** The table's first line: `name@from → name@to: VERDICT`. */
const tableHead = async (name: string, from: string, to: string): Promise<string> => {
  const run = await runCliAsync(['diff', name, from, to, '--registry', registry.url]);
  expect(run.stderr, `${name} ${from} → ${to}`).toBe('');
  return run.stdout.split('\n')[0] ?? '';
};

/** The verdict, with what drove it in the failure message, so a wrong verdict says why. */
const expectVerdict = (report: Report, verdict: Report['verdict']): void => {
  const why = {
    reasons: report.reasons,
    findings: report.findings.map((f) => `${f.rule}@${f.file}:${f.line}`),
    metadata: report.metadata.map((m) => `${m.kind}/${m.severity}`),
    sides: `${report.from.verdict} → ${report.to.verdict}`,
  };
  expect(report.verdict, `${report.from.version} → ${report.to.version}: ${JSON.stringify(why)}`).toBe(
    verdict,
  );
};

const kinds = (report: Report): string[] => report.metadata.map((m) => m.kind).sort();

describe('replayed history: an xmlrpc-style turn', () => {
  it.concurrent.each([
    ['1.3.0', '1.3.1'],
    ['1.3.1', '1.3.2'],
    ['1.3.2', '1.3.3'],
  ])(
    'calls the clean release %s → %s benign',
    async (from, to) => {
      const { report, status } = await diffJson(XMLRPC, from, to);
      expectVerdict(report, 'benign');
      expect(report).toMatchObject({ findings: [], reasons: [], metadata: [] });
      expect(status).toBe(0);
    },
    TIMEOUT,
  );

  it.concurrent(
    'calls 1.3.3 → 1.3.4 (obfuscated credential theft, stolen token) malicious',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(XMLRPC, '1.3.3', '1.3.4'),
        tableHead(XMLRPC, '1.3.3', '1.3.4'),
      ]);
      expectVerdict(report, 'malicious');
      expect(status).toBe(1);
      expect(head).toBe(`${XMLRPC}@1.3.3 → ${XMLRPC}@1.3.4: MALICIOUS`);
      expect(report.from.verdict).not.toBe('malicious');
      // The analyser cannot decode the string array, so `to` alone stops at suspicious; the
      // transition sees a new obfuscated file naming credential stores in a networked package.
      expect(report.reasons[0]).toMatch(
        /^newly obfuscated lib\/validator\.js references credential stores \(.*\.ssh\/id_rsa.*\) in a package that reaches the network$/,
      );
      expect(report.files.added).toEqual(['lib/validator.js']);
      expect(report.obfuscatedFiles).toEqual(['lib/validator.js']);
      expect(report.sensitivePaths.length).toBeGreaterThan(0);
      expect(report.findings.length).toBeGreaterThan(0);
      for (const finding of report.findings) {
        expect(finding).toMatchObject({ rule: expect.any(String), severity: expect.any(String) });
        expect(finding.file).toBe('lib/validator.js');
      }
      // Same account, but no provenance and no gitHead: the shape of a stolen token.
      expect(kinds(report)).toEqual(['githead-missing', 'trust-downgrade']);
    },
    TIMEOUT,
  );
});

describe('replayed history: a maintainer takeover adding a postinstall', () => {
  it.concurrent(
    'calls the maintainers’ own release 2.1.1 → 2.2.0 benign',
    async () => {
      const { report } = await diffJson(SPRINTF_TABLE, '2.1.1', '2.2.0');
      expectVerdict(report, 'benign');
      expect(report.files.added).toEqual(['width.js']);
    },
    TIMEOUT,
  );

  it.concurrent(
    'calls 2.2.0 → 2.2.1 (new account, maintainers replaced, download-and-run postinstall) malicious',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(SPRINTF_TABLE, '2.2.0', '2.2.1'),
        tableHead(SPRINTF_TABLE, '2.2.0', '2.2.1'),
      ]);
      expectVerdict(report, 'malicious');
      expect(status).toBe(1);
      expect(head).toBe(`${SPRINTF_TABLE}@2.2.0 → ${SPRINTF_TABLE}@2.2.1: MALICIOUS`);
      expect(report.installScripts).toEqual([
        { script: 'postinstall', to: 'node scripts/setup.js', runsFiles: ['scripts/setup.js'] },
      ]);
      expect(report.reasons).toContain('install script added: postinstall');
      expect(report.hosts).toContain('cdn.sprintf-table.invalid');
      expect(report.findings.map((f) => f.file)).toContain('scripts/setup.js');
      expect(report.metadata).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'publisher-change' }),
          expect.objectContaining({ kind: 'maintainers-changed', severity: 'medium' }),
          expect.objectContaining({ kind: 'dormant-republish' }),
        ]),
      );
    },
    TIMEOUT,
  );
});

describe('replayed history: a provenance downgrade', () => {
  it.concurrent(
    'calls the move to trusted publishing 3.9.0 → 4.0.0 benign (a new publisher, but more trust)',
    async () => {
      const { report } = await diffJson(URL_TEMPLATE, '3.9.0', '4.0.0');
      expectVerdict(report, 'benign');
      expect(report.metadata).toEqual([
        expect.objectContaining({ kind: 'publisher-change', severity: 'low' }),
      ]);
    },
    TIMEOUT,
  );

  it.concurrent(
    'calls the trusted-publishing release 4.1.1 → 4.2.0 benign',
    async () => {
      const { report } = await diffJson(URL_TEMPLATE, '4.1.1', '4.2.0');
      expectVerdict(report, 'benign');
      expect(report.metadata).toEqual([]);
    },
    TIMEOUT,
  );

  it.concurrent(
    'calls 4.2.0 → 4.2.1 (new publisher, no provenance, harmless code) suspicious, naming both',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(URL_TEMPLATE, '4.2.0', '4.2.1'),
        tableHead(URL_TEMPLATE, '4.2.0', '4.2.1'),
      ]);
      expectVerdict(report, 'suspicious');
      expect(status).toBe(0);
      expect(head).toBe(`${URL_TEMPLATE}@4.2.0 → ${URL_TEMPLATE}@4.2.1: SUSPICIOUS`);
      expect(report.findings).toEqual([]);
      expect(report.files.changed).toEqual(['index.js', 'package.json']);
      expect(report.metadata).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'publisher-change', severity: 'high' }),
          expect.objectContaining({ kind: 'trust-downgrade', severity: 'high' }),
        ]),
      );
      expect(report.reasons).toHaveLength(2);
      expect(report.reasons.join('\n')).toMatch(/published by tpl-release/);
      expect(report.reasons.join('\n')).toMatch(/no provenance, while 4\.2\.0 had trusted publishing/);
    },
    TIMEOUT,
  );
});

describe('replayed history: event-stream gains a brand-new malicious dependency', () => {
  it.concurrent(
    'calls dominictarr’s 3.3.3 → 3.3.4 benign',
    async () => {
      const { report } = await diffJson(EVENT_STREAM, '3.3.3', '3.3.4');
      expectVerdict(report, 'benign');
    },
    TIMEOUT,
  );

  it.concurrent(
    'calls 3.3.4 → 3.3.5 (adds flatmap-stream, created the day before) malicious',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(EVENT_STREAM, '3.3.4', '3.3.5'),
        tableHead(EVENT_STREAM, '3.3.4', '3.3.5'),
      ]);
      expect(report.dependencies.added).toEqual([
        expect.objectContaining({ name: FLATMAP_STREAM, field: 'dependencies', to: '^0.1.1' }),
      ]);
      expectVerdict(report, 'malicious');
      expect(status).toBe(1);
      expect(head).toBe(`${EVENT_STREAM}@3.3.4 → ${EVENT_STREAM}@3.3.5: MALICIOUS`);
      // The verdict must say which dependency turned it, read from the registry like the package.
      expect(report.reasons.join('\n')).toContain(FLATMAP_STREAM);
      expect(registry.requests).toContainEqual({ path: `/${FLATMAP_STREAM}`, status: 200 });
    },
    TIMEOUT,
  );
});

describe('replayed histories that stay benign', () => {
  it.concurrent(
    'a refactor (files moved into src/, same behaviour) is benign',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(OBJECT_PATH, '1.4.1', '1.5.0'),
        tableHead(OBJECT_PATH, '1.4.1', '1.5.0'),
      ]);
      expectVerdict(report, 'benign');
      expect(status).toBe(0);
      expect(head).toBe(`${OBJECT_PATH}@1.4.1 → ${OBJECT_PATH}@1.5.0: BENIGN`);
      expect(report).toMatchObject({ findings: [], reasons: [], metadata: [], added: [] });
      expect(report.files.removed).toEqual(['lib/get.js', 'lib/parse.js', 'lib/set.js']);
    },
    TIMEOUT,
  );

  it.concurrent(
    'a full rewrite (ESM, TypeScript output, a minified bundle) is benign',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(DURATION, '2.3.1', '3.0.0'),
        tableHead(DURATION, '2.3.1', '3.0.0'),
      ]);
      expectVerdict(report, 'benign');
      expect(status).toBe(0);
      expect(head).toBe(`${DURATION}@2.3.1 → ${DURATION}@3.0.0: BENIGN`);
      expect(report.findings).toEqual([]);
      expect(report.files.removed).toEqual(['index.js']);
      expect(report.files.added).toContain('dist/duration-parse.min.js');
      // A new dependency with years of releases is no reason.
      expect(report.dependencies.added).toEqual([
        expect.objectContaining({ name: 'tslib', field: 'dependencies', to: '^2.8.1' }),
      ]);
      expect(report.reasons).toEqual([]);
    },
    TIMEOUT,
  );

  it.concurrent(
    'an added native build (binding.gyp, prebuilt addon, install: node-gyp-build) is benign, the hook listed',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(CRC32, '1.2.1', '2.0.0'),
        tableHead(CRC32, '1.2.1', '2.0.0'),
      ]);
      // docs/commands/diff.md: a plain native build is listed in the delta but is no turn.
      expectVerdict(report, 'benign');
      expect(status).toBe(0);
      expect(head).toBe(`${CRC32}@1.2.1 → ${CRC32}@2.0.0: BENIGN`);
      expect(report.reasons).toEqual([]);
      expect(report.findings).toEqual([]);
      expect(report.installScripts).toEqual([
        { script: 'install', to: 'node-gyp-build', runsFiles: [], benign: 'node-gyp' },
      ]);
      expect(report.binaryFiles).toEqual(['prebuilds/linux-x64/crc32-accel.node']);
      expect(report.dependencies.added.map((d) => d.name)).toEqual(['node-addon-api', 'node-gyp-build']);
    },
    TIMEOUT,
  );

  it.concurrent(
    'a new maintainer publishing a bug fix with provenance is benign',
    async () => {
      const [{ report, status }, head] = await Promise.all([
        diffJson(DEEP_MERGE, '1.2.0', '1.2.1'),
        tableHead(DEEP_MERGE, '1.2.0', '1.2.1'),
      ]);
      expectVerdict(report, 'benign');
      expect(status).toBe(0);
      expect(head).toBe(`${DEEP_MERGE}@1.2.0 → ${DEEP_MERGE}@1.2.1: BENIGN`);
      expect(report.findings).toEqual([]);
      // Seen, graded, and not a turn on its own.
      expect(kinds(report)).toEqual(['maintainers-changed', 'publisher-change']);
      expect(report.metadata.every((m) => m.severity !== 'high')).toBe(true);
    },
    TIMEOUT,
  );
});
