// Checks that every incident replay under ./packages stays defanged and labelled:
// - package.json starts with a "//" key, is "private": true and named under a @fixture-… scope;
// - every URL and `hostname:` in every file points at a reserved name (.invalid, .example, .test,
//   .localhost), a documentation/loopback address, or the cloud-metadata address that credential
//   stealers query (a static signal: nothing here is run);
// - every IPv4 literal is documentation, loopback, unspecified or link-local;
// - the same holds inside hex and base64 string literals.
// Run: node evals/malicious/check-defanged.mjs   (exit 1 and one line per problem when not)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), 'packages');
const problems = [];

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

const RESERVED_NAME = /\.(invalid|example|test|localhost)$/i;
const STATIC_ONLY_HOSTS = new Set(['169.254.169.254', 'metadata.google.internal']);
const safeIpv4 = (ip) => {
  const [a, b, c] = ip.split('.').map(Number);
  return (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254)
  );
};
const safeHost = (host) => {
  const bare = host.toLowerCase().replace(/:\d+$/, '');
  if (RESERVED_NAME.test(bare) || STATIC_ONLY_HOSTS.has(bare) || bare === 'localhost') return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) return safeIpv4(bare);
  // Built at runtime ('http://' + host): the pieces are checked where they are literals.
  return bare === '' || /^[$'"+{]/.test(bare);
};

const packages = readdirSync(packagesDir).filter((name) => statSync(join(packagesDir, name)).isDirectory());
for (const name of packages) {
  const dir = join(packagesDir, name);
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (Object.keys(manifest)[0] !== '//') problems.push(`${name}/package.json: first key is not "//"`);
    if (manifest.private !== true) problems.push(`${name}/package.json: not "private": true`);
    if (!String(manifest.name).startsWith('@fixture-'))
      problems.push(`${name}/package.json: name ${manifest.name} is not under a @fixture-… scope`);
  } catch (error) {
    problems.push(`${name}/package.json: ${error instanceof Error ? error.message : error}`);
  }
  for (const file of walk(dir)) {
    const raw = readFileSync(file).toString('latin1');
    // Hex and base64 literals are decoded and checked too (XOR-hidden strings are checked by hand).
    const decoded = [...raw.matchAll(/['"]([0-9a-f]{16,}|[A-Za-z0-9+/]{16,}={0,2})['"]/g)].map((m) =>
      /^[0-9a-f]+$/.test(m[1]) && m[1].length % 2 === 0
        ? Buffer.from(m[1], 'hex').toString('latin1')
        : Buffer.from(m[1], 'base64').toString('latin1'),
    );
    const text = [raw, ...decoded].join('\n');
    const where = relative(packagesDir, file);
    for (const m of text.matchAll(/\b(?:https?|wss?|ftp|stratum\+tcp):\/\/([^/\s'"`?)\\]*)/gi))
      if (!safeHost(m[1])) problems.push(`${where}: live URL host ${m[1]}`);
    for (const m of text.matchAll(/hostname\s*:\s*['"]([^'"]+)['"]/g))
      if (!safeHost(m[1])) problems.push(`${where}: live hostname ${m[1]}`);
    // (a version such as Chrome/124.0.0.0 follows a slash and is not an address)
    for (const m of text.matchAll(/(?<![\d./])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/g))
      if (!safeIpv4(m[1])) problems.push(`${where}: public IPv4 ${m[1]}`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.log(problem);
  process.exitCode = 1;
} else {
  console.log(`${packages.length} replays: labelled, private, every host reserved or documentation`);
}
