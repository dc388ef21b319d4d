import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string, names = ['network-api-patch', 'wallet-api-patch']) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && names.includes(fact.shape) ? [`${fact.shape}: ${fact.detail}`] : [],
  );

describe('global-api-override shape', () => {
  it.each([
    ['window.fetch = async (...a) => wrap(a);', 'network-api-patch: fetch replaced by assignment'],
    [
      'XMLHttpRequest.prototype.open = function (m, u) { return open.call(this, m, u); };',
      'network-api-patch: XMLHttpRequest.prototype.open replaced by assignment',
    ],
    [
      "Object.defineProperty(window.ethereum, 'request', { value: hook });",
      'wallet-api-patch: ethereum.request redefined by defineProperty',
    ],
    [
      'const g = globalThis; g.ethereum.sendAsync = hook;',
      'wallet-api-patch: ethereum.sendAsync replaced by assignment',
    ],
    [
      'Object.defineProperties(window, { fetch: { value: f } });',
      'network-api-patch: fetch redefined by defineProperty',
    ],
    [
      'window.ethereum = new Proxy(window.ethereum, handler);',
      'wallet-api-patch: ethereum wrapped in a Proxy',
    ],
  ])('reports %s', (source, expected) => {
    expect(shapesIn(source)).toEqual([expected]);
  });

  it.each([
    'self.fetch || (self.fetch = unfetch);',
    'client.fetch = wrapped;',
    'const f = window.fetch; f(url);',
    "Object.defineProperty(exports, 'request', { value: request });",
    'window.ethereum.isConnected = true;',
    'window.ethereum = provider;',
    "Object.defineProperty(window, 'ethereum', { value: provider });",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
