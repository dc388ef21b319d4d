// Mimics the network half of the chalk/debug clipper (Sep 2025): every XHR response of the page
// passes through the package. Defanged: the hook only logs.
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  this.addEventListener('load', () => console.log('fixture: saw', this.responseURL));
  return send.call(this, body);
};
