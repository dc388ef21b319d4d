// Generates realistic OSV npm advisories (GHSA shape) into zips, deterministically, so the
// benchmark database reaches 200,000+ entries. Part of the records name packages that are in the
// benchmark lockfiles, so matching does real range work; most ranges do not include the
// installed versions, as in the real database.
import { createWriteStream } from 'node:fs';
import yazl from 'yazl';

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
];
const WORDS = [
  'parse',
  'stream',
  'json',
  'http',
  'config',
  'util',
  'color',
  'path',
  'file',
  'time',
  'cache',
  'log',
  'auth',
  'router',
  'query',
];

const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const ghsaPart = (rand) => {
  const alphabet = '23456789cfghjmpqrvwx';
  let out = '';
  for (let i = 0; i < 4; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
};

/** Writes `count` records to `zipPath`. `realNames` are package names from the lockfiles. */
export const generateAdvisoryZip = (zipPath, count, realNames, seed = 42) =>
  new Promise((resolve, reject) => {
    const rand = prng(seed);
    const zip = new yazl.ZipFile();
    const ids = new Set();
    for (let i = 0; i < count; i++) {
      let id;
      do id = `GHSA-${ghsaPart(rand)}-${ghsaPart(rand)}-${ghsaPart(rand)}`;
      while (ids.has(id));
      ids.add(id);
      const real = realNames.length > 0 && rand() < 0.1;
      const name = real
        ? pick(rand, realNames)
        : `${pick(rand, WORDS)}-${pick(rand, WORDS)}-${Math.floor(rand() * 60000)}`;
      // Mostly old ranges (fixed in a 0.0.x release) that today's installs are past, as in the real
      // database; 1% open or current ones that do hit.
      const current = rand() >= 0.99;
      const major = current ? Math.floor(rand() * 8) : 0;
      const fixed = current
        ? `${major}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`
        : `0.0.${1 + Math.floor(rand() * 9)}`;
      const events =
        rand() < 0.5 ? [{ introduced: '0' }, { fixed }] : [{ introduced: `${major}.0.0` }, { fixed }];
      const vector = pick(rand, VECTORS);
      const cve = `CVE-2099-${seed * 100_000 + i}`;
      const record = {
        schema_version: '1.4.0',
        id,
        modified: '2025-01-15T10:00:00Z',
        published: '2024-06-01T12:00:00Z',
        aliases: [cve],
        summary: `${pick(rand, WORDS)} handling in ${name} allows denial of service`,
        details: `A crafted input to ${name} causes excessive ${pick(rand, WORDS)} processing. `.repeat(4),
        severity: [{ type: vector.startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', score: vector }],
        affected: [
          {
            package: { ecosystem: 'npm', name },
            ranges: [{ type: 'ECOSYSTEM', events }],
            database_specific: { source: 'generated-for-benchmark' },
          },
        ],
        references: [
          { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${cve}` },
          { type: 'PACKAGE', url: `https://github.com/example-invalid/${name}` },
        ],
        database_specific: {
          cwe_ids: ['CWE-400'],
          severity: pick(rand, ['LOW', 'MODERATE', 'HIGH', 'CRITICAL']),
          github_reviewed: true,
        },
      };
      // Stored, not deflated: yazl deflates every added buffer at once, which for 200k entries
      // means 200k concurrent zlib streams and tens of gigabytes of memory.
      zip.addBuffer(Buffer.from(JSON.stringify(record)), `${id}.json`, { compress: false });
    }
    zip.end();
    zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  });
