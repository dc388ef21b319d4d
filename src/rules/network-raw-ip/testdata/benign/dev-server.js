// Benign twin: a dev server on loopback and a private LAN address.
const http = require('http');
http.createServer((_, res) => res.end('ok')).listen(3000, '127.0.0.1');
console.log('open http://127.0.0.1:3000/ or http://192.168.0.10:3000/');
