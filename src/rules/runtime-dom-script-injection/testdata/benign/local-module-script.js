// Locks in the false positive of dev servers and bundler runtimes: chunks are loaded from the
// page's own origin by relative path, which is not remote.
function loadChunk(id) {
  const script = document.createElement('script');
  script.src = `./chunks/${id}.js`;
  document.head.appendChild(script);
}

module.exports = { loadChunk };
