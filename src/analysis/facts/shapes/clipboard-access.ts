import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';
import { writtenPropertyName } from './written-property.js';

type Node = ESTree.Node;

const METHODS = new Set([
  'writeText',
  'readText',
  'write',
  'read',
  'writeSync',
  'readSync',
  'addEventListener',
  'execCommand',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'spawn',
  'spawnSync',
]);
const CLIPBOARD_APIS =
  /^(?:navigator\.clipboard\.(?:writeText|readText|write|read)|clipboardy(?:\.\w+)?|electron\.clipboard\.\w+|copy-paste\.\w+)$/;
const CLIPBOARD_EVENTS = new Set(['copy', 'cut', 'paste']);
const CLIPBOARD_TOOLS =
  /(?:^|[\s;&|/\\])(?:pbcopy|pbpaste|xclip|xsel|wl-copy|wl-paste|clip(?:\.exe)?|Get-Clipboard|Set-Clipboard)(?:$|[\s;&|'"])/i;

/**
 * Code that reads or writes the clipboard: `navigator.clipboard.*`, clipboardy, Electron's
 * clipboard, `copy`/`paste` event listeners, `document.execCommand('copy')`, and pbcopy/xclip/
 * `Get-Clipboard` run as commands. A clipboard clipper swaps the wallet address a victim copied.
 * Shape `clipboard-access`; detail: the API or command.
 */
export const clipboardAccess: ShapeDetector = {
  shapes: ['clipboard-access'],
  types: ['CallExpression'],
  detect({ node, resolve, fold, report }) {
    if (node.type !== 'CallExpression') return;
    const callee = node.callee as Node;
    const written = writtenPropertyName(callee);
    if (callee.type === 'MemberExpression' && written !== undefined && !METHODS.has(written)) return;
    const path = resolve(callee);
    if (path === undefined) return;
    const first = node.arguments[0] as Node | undefined;
    if (CLIPBOARD_APIS.test(path)) {
      report('clipboard-access', path);
    } else if (written === 'addEventListener' || path === 'document.execCommand') {
      const event = fold(first)?.value;
      if (event !== undefined && CLIPBOARD_EVENTS.has(event))
        report('clipboard-access', `${written === 'addEventListener' ? written : path}('${event}')`);
    } else if (path.startsWith('child_process.')) {
      const command = fold(first)?.value;
      const tool = command === undefined ? null : CLIPBOARD_TOOLS.exec(command.slice(0, 500));
      if (tool) report('clipboard-access', `${path} ${command?.slice(0, 60)}`);
    }
  },
};
