// Mimics source-map-support 0.5.17: `worker_threads` is required in two pieces so that browserify
// does not try to resolve a Node-only module; the code only asks whether it runs in a worker.
let installHandler = true;
try {
  // Don't let browserify try to resolve this require(), it's pointless and breaks the build.
  const workerThreads = require('worker_' + 'threads');
  if (workerThreads.isMainThread === false) installHandler = false;
} catch (e) {}

module.exports = { installHandler };
