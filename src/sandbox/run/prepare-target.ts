import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { locateTarget } from '../../target/read-target.js';
import { hostNpm } from './host-npm.js';

/** The package to run, read on the host without executing any of it. */
export type SandboxTarget = {
  name: string;
  version: string;
  /** Registry integrity, or the sha512 of the tarball we were given. */
  integrity?: string;
  /** What the user named: `name@version`, a file, a directory. */
  source: string;
  /** How the sandbox project depends on it: an exact registry version, or a tarball file. */
  dependency:
    | { kind: 'registry'; version: string }
    | { kind: 'tarball'; bytes: Uint8Array; fileName: string };
  manifest: Record<string, unknown>;
  /** Registry packuments or fetches may be done through this registry. */
  registry?: string;
};

export type TargetOptions = { offline?: boolean; registry?: string; npmCli: string; node: string };

/**
 * `name[@range]` from the registry, a `.tgz` file, or a package directory (packed with
 * `npm pack --ignore-scripts`, so none of its scripts run on the host).
 */
export const prepareTarget = async (target: string, options: TargetOptions): Promise<SandboxTarget> => {
  const location = locateTarget(target);
  if (location.kind === 'directory') return fromTarball(await packDirectory(location.path, options), target);
  if (location.kind === 'file') return fromTarball(location.bytes, location.path);
  const { name, range } = location;
  const { fetchRegistryTarball } = await import('../../target/fetch-registry-tarball.js');
  // The registry's full document feeds static metadata rules only: not needed to run the package.
  const fetched = await fetchRegistryTarball(name, range, { ...options, withPackument: false });
  const manifest = await manifestOf(fetched.bytes, `${name}@${fetched.version}`);
  return {
    name,
    version: fetched.version,
    integrity: fetched.integrity,
    source: `${name}@${fetched.version}`,
    dependency: { kind: 'registry', version: fetched.version },
    manifest,
    ...(options.registry ? { registry: options.registry } : {}),
  };
};

const fromTarball = async (bytes: Uint8Array, source: string): Promise<SandboxTarget> => {
  const manifest = await manifestOf(bytes, source);
  const name = manifest.name;
  const version = manifest.version;
  if (typeof name !== 'string' || !/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name))
    throw new InputError(source, 'has no valid "name" in its package.json');
  if (typeof version !== 'string' || version.length === 0 || version.length > 256)
    throw new InputError(source, 'has no valid "version" in its package.json');
  const { createHash } = await import('node:crypto');
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  const fileName = `${name.replace(/^@/, '').replace('/', '-')}-${version.replace(/[^\w.+-]/g, '_')}.tgz`;
  return { name, version, integrity, source, dependency: { kind: 'tarball', bytes, fileName }, manifest };
};

const manifestOf = async (bytes: Uint8Array, source: string): Promise<Record<string, unknown>> => {
  const { readTarball } = await import('../../tarball/read-tarball.js');
  const contents = await readTarball(bytes, { source }).catch((error: unknown) => {
    throw new InputError(source, `is not a readable package tarball (${(error as Error).message})`);
  });
  const file = contents.files.get('package.json');
  if (!file) throw new InputError(source, 'has no package.json');
  try {
    const value = JSON.parse(Buffer.from(file.bytes).toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new InputError(source, 'has a package.json that is not a JSON object');
};

const packDirectory = async (dir: string, options: TargetOptions): Promise<Buffer> => {
  try {
    lstatSync(join(dir, 'package.json'));
  } catch {
    throw new InputError(dir, 'is a directory without a package.json');
  }
  const out = mkdtempSync(join(tmpdir(), 'bulwark-pack-'));
  try {
    await hostNpm(options, ['pack', '--ignore-scripts', '--silent', '--pack-destination', out, dir], {
      timeoutMs: 120_000,
      input: dir,
      failure: 'cannot be packed',
    });
    const file = readdirSync(out).find((entry) => entry.endsWith('.tgz'));
    if (!file) throw new InputError(dir, 'cannot be packed (npm pack wrote no tarball)');
    return readFileSync(join(out, file));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
