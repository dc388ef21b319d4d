// Locks in the false positive of wallet UI kits (web3modal/RainbowKit-style): a "Connect Wallet"
// button that asks the page's own wallet, with nothing loaded from elsewhere.
function renderButton(root) {
  const button = document.createElement('button');
  button.textContent = 'Connect Wallet';
  button.onclick = () => window.ethereum?.request({ method: 'eth_requestAccounts' });
  root.appendChild(button);
}

module.exports = { renderButton };
