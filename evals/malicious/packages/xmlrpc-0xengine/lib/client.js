var http = require('http');
var https = require('https');
var url = require('url');
var Serializer = require('./serializer');
var Deserializer = require('./deserializer');
// Added in 1.3.4: "validates" options before the first call. This is where the payload lives.
var validator = require('./validator');

function Client(options, isSecure) {
  if (!(this instanceof Client)) return new Client(options, isSecure);
  if (typeof options === 'string') {
    options = url.parse(options);
    options.host = options.hostname;
    options.path = options.pathname;
  }
  validator.validate(options);
  this.options = Object.assign({ headers: {}, method: 'POST' }, options);
  this.options.headers['User-Agent'] = 'NodeJS XML-RPC Client';
  this.options.headers['Content-Type'] = 'text/xml';
  this.options.headers.Accept = 'text/xml';
  this.isSecure = isSecure;
}

Client.prototype.methodCall = function (method, params, callback) {
  var xml = Serializer.serializeMethodCall(method, params, this.options.encoding);
  var transport = this.isSecure ? https : http;
  var options = Object.assign({}, this.options);
  options.headers = Object.assign({ 'Content-Length': Buffer.byteLength(xml, 'utf8') }, options.headers);
  var request = transport.request(options, function (response) {
    if (response.statusCode === 404) return callback(new Error('Not Found'));
    new Deserializer(options.responseEncoding).deserializeMethodResponse(response, callback);
  });
  request.on('error', callback);
  request.write(xml, 'utf8');
  request.end();
};

module.exports = Client;
