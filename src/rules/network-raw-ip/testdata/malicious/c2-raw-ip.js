// Mimics BeaverTail (Contagious Interview) C2 on a raw IP and odd port (catalog §4.13). Defanged:
// documentation address 203.0.113.7, nothing is sent.
const http = require('http');
const base = 'http://203.0.113.7:1224';
http.get(`${base}/client/fixture`, (res) => console.log(res.statusCode));
