// Mimics javascript-obfuscator's controlFlowFlattening as used on npm malware loaders (the
// @0xengine/xmlrpc and Shai-Hulud 2 payloads): steps dispatched from a shuffled order string.
// Defanged: the steps only log.
function start() {
  const order = '3|1|0|2'.split('|');
  let step = 0;
  while (!![]) {
    switch (order[step++]) {
      case '0':
        console.log('fixture: step three');
        continue;
      case '1':
        console.log('fixture: step two');
        continue;
      case '2':
        console.log('fixture: step four');
        continue;
      case '3':
        console.log('fixture: step one');
        continue;
    }
    break;
  }
}

start();
