import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';

/** Process monitors malware hides from (xmrdropper, 60-package swarm): checked in a process list. */
export const MONITOR_TOOLS = new Set([
  'top',
  'htop',
  'atop',
  'btop',
  'bpytop',
  'vmstat',
  'iostat',
  'iotop',
  'sar',
  'glances',
  'dstat',
  'nmon',
  'nethogs',
  'iftop',
  'procexp',
  'procexp64',
  'procmon',
  'procmon64',
  'processhacker',
  'taskmgr',
  'wireshark',
  'fiddler',
  'x64dbg',
  'ollydbg',
]);
/** Names too ordinary to count unless two distinctive ones are present. */
const ORDINARY = new Set(['top', 'sar']);

/**
 * Sandbox and analysis-VM identities published in stealer blocklists: VM guest processes and
 * drivers, and usernames/hostnames of public malware sandboxes.
 */
export const SANDBOX_NAMES = new Set([
  'vboxservice',
  'vboxtray',
  'vmtoolsd',
  'vmwaretray',
  'vmwareuser',
  'vmacthlp',
  'vmsrvc',
  'vmusrvc',
  'prl_cc',
  'prl_tools',
  'xenservice',
  'qemu-ga',
  'joeboxserver',
  'joeboxcontrol',
  'sbiedll',
  'cuckoomon',
  'vboxguest',
  'vboxmouse',
  'vmhgfs',
  'wdagutilityaccount',
  'cuckoo',
  'maltest',
  'malware',
  'sandbox',
  'virus',
  'john doe',
  'hmarc',
  'patex',
  'rdhj0cnfevzx',
  'keecfmwgj',
  '8nl0colnq5bq',
  'pxmduopvyx',
  '8vizsm',
  'w0fjuovmccp5a',
  'lmvwjj9b',
  'pqonjhvwexss',
  '3u2v9m8',
  'heuerzl',
  'bvjchrpnsxn',
  'sqgfof3g',
  'h7dk1xpr',
  'rgzcbuyrznreg',
  'desktop-nakffmt',
  'win-5e07cos9alr',
  'desktop-vrsqlag',
  'q9iatrkprh',
  'xc64zb',
  'desktop-d019gdm',
  'desktop-wi8clet',
  'desktop-b0t93d6',
  'desktop-1pykp29',
  'desktop-1y2433r',
  'qarzhrdbpj',
  'd1bnjkfvlh',
  'tiqiyla9tw5m',
]);
/** Words that are sandbox names only in company: a list needs a distinctive one too. */
const GENERIC_SANDBOX = new Set(['malware', 'sandbox', 'virus', 'john doe', 'cuckoo']);

/** Elements looked at: obfuscator string arrays hold the names among hundreds of others. */
const MAX_ELEMENTS = 1024;
const MAX_NAME = 40;
/** A process lister kept in the same table (obfuscator string arrays hold every literal). */
const PROCESS_LISTERS = new Set(['ps', 'tasklist', 'pgrep']);

const normalise = (value: string): string => value.toLowerCase().replace(/\.(?:exe|dll|sys)$/, '');

/** Which names of each list an array of string literals holds (first MAX_ELEMENTS elements). */
const namesIn = (node: ESTree.ArrayExpression) => {
  const monitors = new Set<string>();
  const sandboxes = new Set<string>();
  let lister: string | undefined;
  const elements = node.elements;
  for (let i = 0; i < elements.length && i < MAX_ELEMENTS; i++) {
    const element = elements[i];
    if (element?.type !== 'Literal' || typeof element.value !== 'string' || element.value.length > MAX_NAME)
      continue;
    const name = normalise(element.value);
    if (MONITOR_TOOLS.has(name)) monitors.add(name);
    if (SANDBOX_NAMES.has(name)) sandboxes.add(name);
    if (PROCESS_LISTERS.has(name)) lister = name;
  }
  return { monitors, sandboxes, lister };
};

/** True when `names` holds at least `min` names and at least `distinctive` outside `generic`. */
export const enoughNames = (
  names: ReadonlySet<string>,
  generic: ReadonlySet<string>,
  min: number,
  distinctive: number,
): boolean => names.size >= min && [...names].filter((name) => !generic.has(name)).length >= distinctive;

/**
 * `['top','htop','vmstat','iostat']`, `['vboxservice.exe','vmtoolsd.exe',…]`: lists of monitoring
 * tools or sandbox identities, also written as one `a|b|c` regex or string.
 */
export const analysisToolNames: ShapeDetector = {
  shapes: ['monitor-tool-list', 'sandbox-name-list'],
  types: ['ArrayExpression', 'Literal'],
  detect({ node, report }) {
    let found: { monitors: Set<string>; sandboxes: Set<string>; lister?: string | undefined };
    if (node.type === 'ArrayExpression') {
      if (node.elements.length < 3) return;
      found = namesIn(node);
    } else if (node.type === 'Literal') {
      const text =
        typeof node.value === 'string'
          ? node.value
          : 'regex' in node && node.regex
            ? node.regex.pattern
            : undefined;
      if (text === undefined || text.length > 400 || !text.includes('|')) return;
      found = { monitors: new Set(), sandboxes: new Set() };
      for (const word of text.split(/[|()^$\\b\s,]+/)) {
        const name = normalise(word);
        if (MONITOR_TOOLS.has(name)) found.monitors.add(name);
        if (SANDBOX_NAMES.has(name)) found.sandboxes.add(name);
      }
    } else return;
    if (enoughNames(found.monitors, ORDINARY, 3, 2))
      report(
        'monitor-tool-list',
        `monitoring tools: ${[...found.monitors].join(', ')}${found.lister ? ` (beside ${found.lister})` : ''}`,
      );
    if (enoughNames(found.sandboxes, GENERIC_SANDBOX, 3, 1))
      report('sandbox-name-list', `sandbox identities: ${[...found.sandboxes].join(', ')}`);
  },
};
