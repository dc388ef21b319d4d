// Locks in the false positive of dApp code that calls the page wallet (ethers/wagmi-style): it
// reads window.ethereum and calls request, never replacing it.
async function connect() {
  if (typeof window === 'undefined' || !window.ethereum) return [];
  const provider = window.ethereum;
  provider.on('accountsChanged', (accounts) => console.log('accounts', accounts));
  return provider.request({ method: 'eth_requestAccounts' });
}

module.exports = { connect };
