// Mimics the chalk/debug payload's wallet branch (Sep 2025): wrap window.ethereum's request,
// send and sendAsync so outgoing transactions can be rewritten. Defanged: only logs.
function wrap(provider, name) {
  const original = provider[name];
  Object.defineProperty(provider, name, {
    configurable: true,
    value(...args) {
      console.log('fixture: would rewrite', name, args);
      return original.apply(provider, args);
    },
  });
}

if (typeof window !== 'undefined' && window.ethereum) {
  const original = window.ethereum.request;
  Object.defineProperty(window.ethereum, 'request', {
    value: (args) => original.call(window.ethereum, args),
  });
  window.ethereum.sendAsync = (payload, cb) => wrap(window.ethereum, 'send') || cb(null, payload);
}
