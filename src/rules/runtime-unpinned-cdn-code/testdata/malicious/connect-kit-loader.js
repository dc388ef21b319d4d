// Mimics @ledgerhq/connect-kit-loader (Dec 2023): the loader fetched connect-kit@1 from jsDelivr at
// run time, so a malicious 1.1.x reached every dApp without a rebuild. Defanged: .invalid host.
function loadConnectKit() {
  const script = document.createElement('script');
  script.src = 'https://cdn.jsdelivr.net.invalid/npm/@fixture/connect-kit@1';
  document.head.appendChild(script);
  return import('https://esm.sh.invalid/@fixture/connect-kit@latest');
}

module.exports = { loadConnectKit };
