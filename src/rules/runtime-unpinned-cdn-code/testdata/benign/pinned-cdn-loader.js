// Locks in the false positive of loaders that pin the exact version they load (pdf.js worker,
// monaco loaders): a fixed version cannot change under the user.
function loadWorker() {
  const script = document.createElement('script');
  script.src = 'https://cdn.jsdelivr.net.invalid/npm/@fixture/worker@3.11.174/build/worker.min.js';
  document.head.appendChild(script);
}

module.exports = { loadWorker };
