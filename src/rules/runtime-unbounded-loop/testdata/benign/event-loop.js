// Locks in the false positive of worker and parser loops: endless loops inside functions, and top-level loops that break.
function* ids() {
  for (let i = 0; ; i++) yield i;
}
function drain(queue) {
  while (true) {
    const item = queue.shift();
    if (item === undefined) return;
    console.log(item);
  }
}
const it = ids();
while (true) {
  if (it.next().value > 3) break;
}
module.exports = drain;
