// Locks in the false positive of worker pools (workerpool-style) that evaluate functions sent by
// their own main thread: the channel is the worker port, not a network socket.
const { parentPort } = require('worker_threads');

parentPort.on('message', (task) => {
  const fn = new Function(`return (${task.fn})`)();
  parentPort.postMessage(fn(...task.args));
});
