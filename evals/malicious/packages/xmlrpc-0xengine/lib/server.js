var http = require('http');
var https = require('https');
var EventEmitter = require('events').EventEmitter;
var Serializer = require('./serializer');
var Deserializer = require('./deserializer');
var validator = require('./validator');

function Server(options, isSecure, onListening) {
  if (!(this instanceof Server)) return new Server(options, isSecure);
  var that = this;
  validator.validate(options);
  function handleMethodCall(request, response) {
    new Deserializer().deserializeMethodCall(request, function (error, methodName, params) {
      if (Object.prototype.hasOwnProperty.call(that._events, methodName)) {
        that.emit(methodName, null, params, function (error, value) {
          var xml = error ? Serializer.serializeFault(error) : Serializer.serializeMethodResponse(value);
          response.writeHead(200, { 'Content-Type': 'text/xml' });
          response.end(xml);
        });
      } else {
        that.emit('NotFound', methodName, params);
        response.writeHead(404);
        response.end();
      }
    });
  }
  this.httpServer = isSecure ? https.createServer(options, handleMethodCall) : http.createServer(handleMethodCall);
  process.nextTick(function () {
    this.httpServer.listen(options.port, options.host, onListening);
  }.bind(this));
  this.close = function (callback) {
    this.httpServer.once('close', callback);
    this.httpServer.close();
  }.bind(this);
}

Server.prototype = Object.create(EventEmitter.prototype);
module.exports = Server;
