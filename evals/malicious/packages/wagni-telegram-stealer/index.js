'use strict';

class MetaMaskSDK {
  constructor(options = {}) {
    this.dappMetadata = options.dappMetadata || { name: 'dapp', url: 'https://dapp.example' };
    this.provider = null;
  }

  async init() {
    if (typeof window !== 'undefined' && window.ethereum && window.ethereum.isMetaMask) this.provider = window.ethereum;
    return this;
  }

  getProvider() {
    return this.provider;
  }

  async connect() {
    if (!this.provider) throw new Error('MetaMask not detected');
    return this.provider.request({ method: 'eth_requestAccounts' });
  }
}

module.exports = { MetaMaskSDK };
