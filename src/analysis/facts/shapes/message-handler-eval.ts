import type { ESTree } from 'meriyah';
import { propertyName } from '../fold.js';
import type { ShapeContext, ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const HANDLER_PROPERTIES = new Set(['onmessage', 'ondata']);
const SUBSCRIBE = new Set(['on', 'once', 'addEventListener', 'addListener', 'subscribe']);
const EVALUATORS = new Set([
  'eval',
  'Function',
  'vm.runInThisContext',
  'vm.runInNewContext',
  'vm.runInContext',
  'vm.Script',
  'vm.compileFunction',
]);
/** Nodes of a handler body looked at: handlers that run received code do it at once. */
const MAX_BODY_NODES = 400;
const MAX_ARGUMENT_NODES = 40;

const paramNames = (fn: ESTree.FunctionExpression | ESTree.ArrowFunctionExpression): Set<string> => {
  const names = new Set<string>();
  for (const param of fn.params.slice(0, 4)) {
    const target = param.type === 'AssignmentPattern' ? param.left : param;
    if (target.type === 'Identifier') names.add(target.name);
    else if (target.type === 'ObjectPattern')
      for (const p of target.properties.slice(0, 8))
        if (p.type === 'Property' && p.value.type === 'Identifier') names.add(p.value.name);
  }
  return names;
};

const children = (node: Node): Node[] => {
  const out: Node[] = [];
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === 'object' && 'type' in item) out.push(item as Node);
    } else if (value && typeof value === 'object' && 'type' in value) out.push(value as Node);
  }
  return out;
};

/** Whether a bounded walk from `root` meets one of `names` (not entering nested functions). */
const mentions = (root: Node, names: Set<string>): boolean => {
  const stack = [root];
  for (let seen = 0; stack.length > 0 && seen < MAX_ARGUMENT_NODES; seen++) {
    const node = stack.pop() as Node;
    if (node.type === 'Identifier' && names.has(node.name)) return true;
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') continue;
    stack.push(...children(node));
  }
  return false;
};

/** The nodes of a handler body, not entering nested functions, up to the bound. */
const bodyNodes = (body: Node): Node[] => {
  const nodes: Node[] = [];
  const stack = [body];
  while (stack.length > 0 && nodes.length < MAX_BODY_NODES) {
    const node = stack.pop() as Node;
    nodes.push(node);
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') continue;
    stack.push(...children(node));
  }
  return nodes;
};

/**
 * The evaluator a handler body hands one of its parameters to, if any. Locals initialised from a
 * parameter count as the parameter (`const task = JSON.parse(event.data); eval(task.code)`).
 */
const evaluatorOfParam = (ctx: ShapeContext, body: Node, params: Set<string>): string | undefined => {
  const nodes = bodyNodes(body);
  const names = new Set(params);
  for (let round = 0; round < 2; round++)
    for (const node of nodes)
      if (
        node.type === 'VariableDeclarator' &&
        node.id.type === 'Identifier' &&
        node.init &&
        mentions(node.init as Node, names)
      )
        names.add(node.id.name);
  for (const node of nodes) {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') continue;
    const callee = ctx.resolve(node.callee as Node);
    const argument = node.arguments[node.arguments.length - 1] as Node | undefined;
    if (callee !== undefined && EVALUATORS.has(callee) && argument && mentions(argument, names))
      return callee;
  }
  return undefined;
};

/** Who the handler listens to: `ws.onmessage`, `socket.on('cmd')`. */
const subscription = (ctx: ShapeContext, fn: Node): string | undefined => {
  const parent = ctx.parent;
  if (
    parent?.type === 'AssignmentExpression' &&
    parent.right === fn &&
    parent.left.type === 'MemberExpression'
  ) {
    const property = propertyName(parent.left, (n) => ctx.fold(n));
    if (property === undefined || !HANDLER_PROPERTIES.has(property)) return undefined;
    return `${ctx.resolve(parent.left.object as Node) ?? '?'}.${property}`;
  }
  if (parent?.type !== 'CallExpression' || parent.callee.type !== 'MemberExpression') return undefined;
  if (!(parent.arguments as Node[]).includes(fn)) return undefined;
  const method = propertyName(parent.callee, (n) => ctx.fold(n));
  if (method === undefined || !SUBSCRIBE.has(method)) return undefined;
  const event = ctx.fold(parent.arguments[0] as Node | undefined)?.value ?? '?';
  return `${ctx.resolve(parent.callee.object as Node) ?? '?'}.${method}('${event.slice(0, 40)}')`;
};

/**
 * An event handler that runs what it receives: `ws.onmessage = (e) => eval(e.data)`,
 * `socket.on('cmd', (code) => new Function(code)())` (OtterCookie's socket.io backdoor). Shape
 * `message-handler-eval`; detail: `<receiver>.<subscription> → <evaluator>`. Whether the receiver
 * is a network socket (not a worker's postMessage channel) is for the rule to judge.
 */
export const messageHandlerEval: ShapeDetector = {
  shapes: ['message-handler-eval'],
  types: ['FunctionExpression', 'ArrowFunctionExpression'],
  detect(ctx) {
    const fn = ctx.node;
    if (fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return;
    const source = subscription(ctx, fn);
    if (source === undefined) return;
    const names = paramNames(fn);
    if (names.size === 0) return;
    const evaluator = evaluatorOfParam(ctx, fn.body as Node, names);
    if (evaluator) ctx.report('message-handler-eval', `${source} → ${evaluator}`);
  },
};
