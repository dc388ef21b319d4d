import type { ShapeDetector } from './shape-detector.js';

const PROMPT =
  /\bconnect (?:your |a )?wallet\b|\b(?:seed|recovery|mnemonic) phrase\b|\b(?:12|24|twelve|twenty-four)[- ]word (?:phrase|seed|backup)\b|\bverify (?:your )?wallet\b|\bclaim (?:your )?(?:airdrop|tokens|reward)\b/i;
const LONGEST = 5000;

/**
 * Text a wallet drainer shows: "Connect Wallet", "enter your recovery phrase", "claim your
 * airdrop" (the lottie-player and connect-kit fake modals). Shape `wallet-prompt`; detail: the
 * phrase found. Read from string literals and template text, up to 5000 characters each.
 */
export const walletPrompt: ShapeDetector = {
  shapes: ['wallet-prompt'],
  types: ['Literal', 'TemplateElement'],
  detect({ node, report }) {
    let text: string | undefined;
    if (node.type === 'Literal' && typeof node.value === 'string') text = node.value;
    else if (node.type === 'TemplateElement') text = node.value.cooked ?? node.value.raw;
    if (text === undefined || text.length < 12) return;
    const match = PROMPT.exec(text.length > LONGEST ? text.slice(0, LONGEST) : text);
    if (match) report('wallet-prompt', match[0]);
  },
};
