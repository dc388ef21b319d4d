import type { ESTree } from 'meriyah';
import type { ShapeContext, ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const DELETE =
  /^(?:fs(?:\.promises)?\.(?:unlink|rm|rmdir)(?:Sync)?|fs-extra\.(?:remove|removeSync|emptyDir|emptyDirSync|rm|rmSync|unlink|unlinkSync)|rimraf(?:\.sync|\.rimraf|\.rimrafSync|\.native|\.nativeSync)?|del(?:\.sync|\.deleteAsync|\.deleteSync)?)$/;
/** Calls that replace a file, with the index of the argument naming the file replaced. */
const REPLACE: ReadonlyMap<string, number> = new Map([
  ['writeFile', 0],
  ['writeFileSync', 0],
  ['createWriteStream', 0],
  ['copyFile', 1],
  ['copyFileSync', 1],
  ['rename', 1],
  ['renameSync', 1],
  ['cp', 1],
  ['cpSync', 1],
  ['copy', 1],
  ['copySync', 1],
  ['move', 1],
  ['moveSync', 1],
  ['outputFile', 0],
  ['outputFileSync', 0],
]);
const FS_MODULE = /^fs(?:-extra)?(?:\.promises)?$/;
const HOME_ENV = new Set(['process.env.HOME', 'process.env.USERPROFILE']);
const ROOT_LITERAL = /^(?:\/|~\/?|\$HOME\/?|%USERPROFILE%\\?|[A-Za-z]:\\{1,2}|\/(?:home|Users|root)\/?)$/;
const MANIFEST = /^(?:\.\/)?package\.json$/;

const methodOf = (path: string): { module: string; method: string } | undefined => {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : { module: path.slice(0, dot), method: path.slice(dot + 1) };
};

/** What a path argument names when it is the running file, its manifest, or the home/root dir. */
const target = (
  node: Node | undefined,
  ctx: ShapeContext,
): 'self' | 'own-dir' | 'manifest' | 'home' | undefined => {
  if (!node) return undefined;
  if (node.type === 'Identifier') {
    if (node.name === '__filename') return 'self';
    if (node.name === '__dirname') return 'own-dir';
  }
  if (node.type === 'Literal' && typeof node.value === 'string') {
    if (MANIFEST.test(node.value)) return 'manifest';
    if (ROOT_LITERAL.test(node.value)) return 'home';
    return undefined;
  }
  const path = ctx.resolve(node);
  if (path === 'process.argv.1') return 'self';
  if (path !== undefined && HOME_ENV.has(path)) return 'home';
  if (node.type !== 'CallExpression') return undefined;
  const callee = ctx.resolve(node.callee as Node);
  if (callee === 'os.homedir') return 'home';
  if (callee !== 'path.join' && callee !== 'path.resolve') return undefined;
  const args = node.arguments as Node[];
  const first = args[0];
  const last = args[args.length - 1];
  if (args.length === 1) return target(first, ctx) === 'home' ? 'home' : undefined;
  if (first?.type === 'Identifier' && first.name === '__dirname') {
    const tail = ctx.fold(last)?.value;
    if (tail !== undefined && /(?:^|[\\/])package\.json$/.test(tail)) return 'manifest';
  }
  return undefined;
};

/**
 * fs calls aimed at the package itself or at the whole home directory: `fs.unlinkSync(__filename)`
 * (self-deletion), `fs.renameSync('package.md', path.join(__dirname, 'package.json'))` (manifest
 * swap after install), `fs.rmSync(os.homedir(), { recursive: true })` (wiper).
 */
export const fsTarget: ShapeDetector = {
  shapes: ['self-delete', 'own-manifest-write', 'home-delete'],
  types: ['CallExpression'],
  detect(ctx) {
    const { node, resolve, report } = ctx;
    if (node.type !== 'CallExpression' || node.arguments.length === 0) return;
    const callee = resolve(node.callee as Node);
    if (callee === undefined) return;
    const args = node.arguments as Node[];
    const name = callee.replace(/^fs(?:-extra)?(?:\.promises)?\./, '');
    if (DELETE.test(callee)) {
      const what = target(args[0], ctx);
      if (what === 'self' || what === 'own-dir')
        report(
          'self-delete',
          `${name}(${what === 'own-dir' ? '__dirname' : args[0]?.type === 'Identifier' ? '__filename' : 'process.argv[1]'})`,
        );
      else if (what === 'home') report('home-delete', `${name} of the home or root directory`);
      return;
    }
    const parts = methodOf(callee);
    if (!parts || !FS_MODULE.test(parts.module)) return;
    const index = REPLACE.get(parts.method);
    if (index === undefined) return;
    if (target(args[index], ctx) === 'manifest')
      report('own-manifest-write', `${parts.method} → package.json`);
  },
};
