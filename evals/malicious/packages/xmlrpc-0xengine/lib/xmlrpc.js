var Client = require('./client');
var Server = require('./server');
var CustomType = require('./customtype');
var dateFormatter = require('./date_formatter');

var xmlrpc = exports;

xmlrpc.createClient = function (options) {
  return new Client(options, false);
};

xmlrpc.createSecureClient = function (options) {
  return new Client(options, true);
};

xmlrpc.createServer = function (options, callback) {
  return new Server(options, false, callback);
};

xmlrpc.createSecureServer = function (options, callback) {
  return new Server(options, true, callback);
};

xmlrpc.CustomType = CustomType;
xmlrpc.dateFormatter = dateFormatter;
