import { PackageURL } from 'packageurl-js';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph, DependencyType, DepNode } from '../../core/graph.js';
import { parseJsonInput } from '../../core/input.js';
import {
  expectArray,
  expectRecord,
  expectString,
  type JsonRecord,
  optionalString,
  type Shape,
} from '../../core/shape.js';
import type { LockfileInput, LockfileParser } from '../types.js';

/** JSON CycloneDX versions (1.0 and 1.1 were XML only). */
export const CYCLONEDX_SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;

export const ROOT_ID = '.';

/** Most components read from one SBOM; far above any real project. */
const MAX_COMPONENTS = 1_000_000;

const SCOPES = new Set(['required', 'optional', 'excluded']);

/**
 * A CycloneDX JSON SBOM as inventory. Components with an npm purl become nodes; `scope: excluded`
 * (and cyclonedx-npm's `cdx:npm:package:development` property) mean dev; `scope: optional` means optional.
 */
export const cyclonedxSbomParser: LockfileParser = {
  name: 'lockfile/cyclonedx-sbom',
  format: 'cyclonedx',
  matches: (fileName) => {
    const lower = fileName.toLowerCase();
    return (
      lower === 'bom.json' ||
      lower === 'sbom.json' ||
      lower.endsWith('.cdx.json') ||
      lower.endsWith('.cyclonedx.json')
    );
  },
  parse: (input) => parseCycloneDx(input),
};

type Flags = { dev: boolean; optional: boolean };

const parseCycloneDx = (input: LockfileInput): DependencyGraph => {
  const ctx: Shape = { file: input.path };
  const doc = expectRecord(parseJsonInput(input.content, input.path), ctx, '$');
  if (doc.bomFormat !== 'CycloneDX') {
    throw new InputError(
      input.path,
      `bomFormat must be "CycloneDX", got ${JSON.stringify(doc.bomFormat) ?? 'nothing'}`,
    );
  }
  const graph: DependencyGraph = {
    format: 'cyclonedx',
    file: input.path,
    roots: [ROOT_ID],
    nodes: new Map(),
    edges: [],
    warnings: [],
  };
  const specVersion = optionalString(doc.specVersion, ctx, 'specVersion');
  if (specVersion === undefined) graph.warnings.push('the SBOM states no specVersion; read as CycloneDX 1.x');
  else if (!(CYCLONEDX_SPEC_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new InputError(
      input.path,
      `unsupported CycloneDX specVersion "${specVersion}" (supported: ${CYCLONEDX_SPEC_VERSIONS.join(', ')})`,
    );
  } else graph.formatVersion = specVersion;

  // bom-ref → node id; several components (or refs) may share one name@version node.
  const refs = new Map<string, string>();
  const flags = new Map<string, Flags>();

  const metadata = doc.metadata === undefined ? undefined : expectRecord(doc.metadata, ctx, 'metadata');
  const rootComponent =
    metadata?.component === undefined
      ? undefined
      : expectRecord(metadata.component, ctx, 'metadata.component');
  const rootNode: DepNode = {
    id: ROOT_ID,
    name: '',
    version: '',
    source: 'root',
    dev: false,
    optional: false,
    peer: false,
    bundled: false,
  };
  if (rootComponent) {
    const name = expectString(rootComponent.name, ctx, 'metadata.component.name');
    const group = optionalString(rootComponent.group, ctx, 'metadata.component.group');
    rootNode.name = group ? `${group}/${name}` : name;
    rootNode.version = optionalString(rootComponent.version, ctx, 'metadata.component.version') ?? '';
    const ref = optionalString(rootComponent['bom-ref'], ctx, 'metadata.component["bom-ref"]');
    if (ref !== undefined) refs.set(ref, ROOT_ID);
  }
  graph.nodes.set(ROOT_ID, rootNode);

  let nonNpm = 0;
  let withoutPurl = 0;
  let withoutVersion = 0;
  const pending: { value: unknown; path: string }[] = [];
  const pushList = (value: unknown, path: string) => {
    if (value === undefined || value === null) return;
    const list = expectArray(value, ctx, path);
    for (let i = list.length - 1; i >= 0; i--) pending.push({ value: list[i], path: `${path}[${i}]` });
  };
  pushList(doc.components, 'components');
  let seen = 0;
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (++seen > MAX_COMPONENTS) throw new InputError(input.path, `more than ${MAX_COMPONENTS} components`);
    const component = expectRecord(value, ctx, path);
    pushList(component.components, `${path}.components`);
    expectString(component.name, ctx, `${path}.name`);
    const version = optionalString(component.version, ctx, `${path}.version`);
    const ref = optionalString(component['bom-ref'], ctx, `${path}["bom-ref"]`);
    const scope = optionalString(component.scope, ctx, `${path}.scope`);
    if (scope !== undefined && !SCOPES.has(scope)) {
      throw new InputError(
        input.path,
        `${path}.scope must be required, optional or excluded, got "${scope}"`,
      );
    }
    const integrity = readIntegrity(component.hashes, ctx, `${path}.hashes`);
    const development = isDevelopmentProperty(component.properties, ctx, `${path}.properties`);
    const purlText = optionalString(component.purl, ctx, `${path}.purl`);
    if (purlText === undefined) {
      withoutPurl++;
      continue;
    }
    const purl = parsePurl(purlText, ctx, `${path}.purl`);
    if (purl.type !== 'npm') {
      nonNpm++;
      continue;
    }
    const name = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
    const nodeVersion = purl.version ?? version;
    if (!nodeVersion) {
      withoutVersion++;
      continue;
    }
    const id = `${name}@${nodeVersion}`;
    if (ref !== undefined) refs.set(ref, id);
    const dev = scope === 'excluded' || development;
    const optional = scope === 'optional';
    const known = flags.get(id);
    // One node for several components: dev/optional only when every occurrence says so.
    flags.set(
      id,
      known ? { dev: known.dev && dev, optional: known.optional && optional } : { dev, optional },
    );
    if (!graph.nodes.has(id)) {
      const node: DepNode = {
        id,
        name,
        version: nodeVersion,
        source: sourceOf(purl.qualifiers),
        dev: false,
        optional: false,
        peer: false,
        bundled: false,
      };
      const resolved = purl.qualifiers?.download_url ?? purl.qualifiers?.vcs_url;
      if (resolved) node.resolved = resolved;
      if (integrity) node.integrity = integrity;
      graph.nodes.set(id, node);
    }
  }
  for (const [id, f] of flags) {
    const node = graph.nodes.get(id)!;
    node.dev = f.dev;
    node.optional = f.optional;
  }

  addEdges(graph, doc.dependencies, refs, ctx);

  if (nonNpm > 0) graph.warnings.push(`${nonNpm} component(s) with a non-npm purl were ignored`);
  if (withoutPurl > 0) graph.warnings.push(`${withoutPurl} component(s) without a purl were ignored`);
  if (withoutVersion > 0)
    graph.warnings.push(`${withoutVersion} npm component(s) without a version were ignored`);
  return graph;
};

const edgeType = (node: DepNode): DependencyType => (node.dev ? 'dev' : node.optional ? 'optional' : 'prod');

/**
 * Edges from `dependencies[]` when it describes the root; otherwise (no dependency graph, or one
 * that never mentions the root) every component hangs off the root as a direct dependency.
 */
const addEdges = (graph: DependencyGraph, value: unknown, refs: Map<string, string>, ctx: Shape): void => {
  const list = value === undefined || value === null ? [] : expectArray(value, ctx, 'dependencies');
  const seen = new Set<string>();
  let unknownRefs = 0;
  let rootListed = false;
  list.forEach((entry, i) => {
    const record = expectRecord(entry, ctx, `dependencies[${i}]`);
    const ref = expectString(record.ref, ctx, `dependencies[${i}].ref`);
    const from = refs.get(ref);
    const dependsOn =
      record.dependsOn === undefined || record.dependsOn === null
        ? []
        : expectArray(record.dependsOn, ctx, `dependencies[${i}].dependsOn`);
    if (from === ROOT_ID) rootListed = true;
    dependsOn.forEach((target, j) => {
      const toRef = expectString(target, ctx, `dependencies[${i}].dependsOn[${j}]`);
      if (from === undefined) return;
      const to = refs.get(toRef);
      if (to === undefined) {
        unknownRefs++;
        return;
      }
      const key = `${from}\u0000${to}`;
      if (to === from || seen.has(key)) return;
      seen.add(key);
      const node = graph.nodes.get(to)!;
      graph.edges.push({ from, to, name: node.name, range: node.version, type: edgeType(node) });
    });
  });
  if (unknownRefs > 0) {
    graph.warnings.push(`${unknownRefs} dependsOn reference(s) name no npm component and were ignored`);
  }
  if (rootListed) return;
  if (list.length > 0) {
    graph.warnings.push(
      'dependencies[] does not list the root component; every component is treated as direct',
    );
  }
  graph.edges = graph.edges.filter((edge) => edge.from !== ROOT_ID);
  for (const node of graph.nodes.values()) {
    if (node.id === ROOT_ID) continue;
    graph.edges.push({
      from: ROOT_ID,
      to: node.id,
      name: node.name,
      range: node.version,
      type: edgeType(node),
    });
  }
};

const parsePurl = (text: string, ctx: Shape, path: string): PackageURL => {
  try {
    return PackageURL.fromString(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(ctx.file, `${path} is not a valid purl (${reason})`);
  }
};

const sourceOf = (qualifiers: PackageURL['qualifiers']): DepNode['source'] => {
  if (qualifiers?.vcs_url) return 'git';
  const download = qualifiers?.download_url;
  if (download && !/^https:\/\/registry\.(?:npmjs\.org|yarnpkg\.com)\//.test(download)) return 'tarball';
  return 'registry';
};

const readIntegrity = (value: unknown, ctx: Shape, path: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  let integrity: string | undefined;
  expectArray(value, ctx, path).forEach((entry, i) => {
    const hash = expectRecord(entry, ctx, `${path}[${i}]`);
    const alg = expectString(hash.alg, ctx, `${path}[${i}].alg`);
    const content = expectString(hash.content, ctx, `${path}[${i}].content`);
    if (alg !== 'SHA-512') return;
    if (!/^[0-9a-fA-F]{128}$/.test(content)) {
      throw new InputError(ctx.file, `${path}[${i}].content is not a SHA-512 hex digest`);
    }
    integrity = `sha512-${Buffer.from(content, 'hex').toString('base64')}`;
  });
  return integrity;
};

const isDevelopmentProperty = (value: unknown, ctx: Shape, path: string): boolean => {
  if (value === undefined || value === null) return false;
  return expectArray(value, ctx, path).some((entry, i) => {
    const property: JsonRecord = expectRecord(entry, ctx, `${path}[${i}]`);
    const name = optionalString(property.name, ctx, `${path}[${i}].name`);
    const propertyValue = optionalString(property.value, ctx, `${path}[${i}].value`);
    return name === 'cdx:npm:package:development' && propertyValue === 'true';
  });
};
