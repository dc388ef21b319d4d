import type { ShapeDetector } from './shape-detector.js';

/**
 * String literals (and template text) that name one evasive or abusive act whatever surrounds
 * them. They are too specific to be commands or paths, so extraction keeps no string fact for them.
 */
const TELLS: readonly {
  shape: string;
  hints: readonly string[];
  pattern: RegExp;
  /** Report the literal itself (clipped) rather than the match: the rule reads the command. */
  whole?: boolean;
}[] = [
  {
    // AI coding CLIs told to run without asking (Nx s1ngularity).
    shape: 'agent-bypass-flag',
    hints: ['--'],
    pattern:
      /--(?:dangerously-skip-permissions|dangerously-bypass-approvals-and-sandbox|yolo|trust-all-tools|allow-all-tools)\b/,
  },
  // How long the user has been idle: malware waits for an unattended machine.
  {
    shape: 'idle-check',
    hints: ['dle', 'LastInput'],
    pattern: /\b(?:xprintidle|HIDIdleTime|GetLastInputInfo)\b/,
  },
  {
    // Registering the victim as a GitHub Actions self-hosted runner (Shai-Hulud 2.0).
    shape: 'runner-registration',
    hints: ['runner', 'config.'],
    pattern: /actions\/runners\/registration-token|\bconfig\.(?:sh|cmd)\s+--url\b/,
  },
  {
    // A workflow run by anyone who opens a discussion: the Shai-Hulud 2.0 backdoor trigger.
    shape: 'workflow-discussion-trigger',
    hints: ['discussion'],
    pattern: /\bon:\s*(?:\[\s*)?discussion\b|\bon:\s*\n\s+discussion:/,
  },
  {
    // A VS Code task that runs by itself when the folder is opened (Contagious Interview repos).
    shape: 'folder-open-task',
    hints: ['folderOpen'],
    pattern: /^folderOpen$|["']?runOn["']?\s*:\s*["']folderOpen\b/,
  },
  {
    // Windows binaries that run a DLL/HTA/script handed to them (eslint-config-prettier's node-gyp.dll).
    shape: 'lolbin-command',
    hints: [
      'rundll32',
      'regsvr32',
      'mshta',
      'wscript',
      'cscript',
      'Rundll32',
      'RUNDLL32',
      'Regsvr32',
      'WScript',
      'CScript',
    ],
    pattern: /\b(?:rundll32|regsvr32|mshta|wscript|cscript)(?:\.exe)?(?=["']?\s)/i,
    whole: true,
  },
];

const MAX_TEXT = 4096;

export const tellTaleLiteral: ShapeDetector = {
  shapes: TELLS.map(({ shape }) => shape),
  types: ['Literal', 'TemplateElement'],
  detect({ node, report }) {
    const text =
      node.type === 'Literal'
        ? typeof node.value === 'string'
          ? node.value
          : undefined
        : node.type === 'TemplateElement'
          ? (node.value.cooked ?? undefined)
          : undefined;
    if (text === undefined || text.length < 5 || text.length > MAX_TEXT) return;
    for (const { shape, hints, pattern, whole } of TELLS) {
      if (!hints.some((hint) => text.includes(hint))) continue;
      const match = pattern.exec(text);
      if (match) report(shape, whole ? text.slice(match.index, match.index + 160) : match[0]);
    }
  },
};
