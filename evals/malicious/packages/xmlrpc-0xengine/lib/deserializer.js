var sax = require('sax');
var dateFormatter = require('./date_formatter');

var Deserializer = (module.exports = function (encoding) {
  this.type = null;
  this.responseType = null;
  this.stack = [];
  this.marks = [];
  this.data = [];
  this.methodname = null;
  this.encoding = encoding || 'utf8';
  this.value = false;
  this.callback = null;
  this.error = null;
  this.parser = sax.createStream();
  this.parser.on('opentag', this.onOpentag.bind(this));
  this.parser.on('closetag', this.onClosetag.bind(this));
  this.parser.on('text', this.onText.bind(this));
  this.parser.on('cdata', this.onCDATA.bind(this));
  this.parser.on('end', this.onDone.bind(this));
  this.parser.on('error', this.onError.bind(this));
});

Deserializer.prototype.deserializeMethodResponse = function (stream, callback) {
  var that = this;
  this.callback = function (error, result) {
    if (error) callback(error);
    else if (result.length > 1) callback(new Error('Response has more than one param'));
    else if (that.type !== 'methodresponse') callback(new Error('Not a method response'));
    else if (!that.responseType) callback(new Error('Invalid method response'));
    else callback(null, result[0]);
  };
  stream.setEncoding(this.encoding);
  stream.on('error', this.onError.bind(this));
  stream.pipe(this.parser);
};

Deserializer.prototype.deserializeMethodCall = function (stream, callback) {
  var that = this;
  this.callback = function (error, result) {
    if (error) callback(error);
    else if (that.type !== 'methodcall') callback(new Error('Not a method call'));
    else if (!that.methodname) callback(new Error('Method call did not contain a method name'));
    else callback(null, that.methodname, result);
  };
  stream.setEncoding(this.encoding);
  stream.on('error', this.onError.bind(this));
  stream.pipe(this.parser);
};

Deserializer.prototype.onDone = function () {
  if (!this.error) {
    if (this.type === null || this.marks.length) this.callback(new Error('Invalid XML-RPC message'));
    else if (this.responseType === 'fault') {
      var fault = this.stack[0];
      var error = new Error('XML-RPC fault' + (fault.faultString ? ': ' + fault.faultString : ''));
      error.code = fault.faultCode;
      error.faultCode = fault.faultCode;
      error.faultString = fault.faultString;
      this.callback(error);
    } else this.callback(undefined, this.stack);
  }
};

Deserializer.prototype.onError = function (msg) {
  if (!this.error) {
    this.error = typeof msg === 'string' ? new Error(msg) : msg;
    this.callback(this.error);
  }
};

Deserializer.prototype.push = function (value) {
  this.stack.push(value);
};

Deserializer.prototype.onOpentag = function (node) {
  if (node.name === 'ARRAY' || node.name === 'STRUCT') this.marks.push(this.stack.length);
  this.data = [];
  this.value = node.name === 'VALUE';
};

Deserializer.prototype.onText = function (text) {
  this.data.push(text);
};

Deserializer.prototype.onCDATA = function (cdata) {
  this.data.push(cdata);
};

Deserializer.prototype.onClosetag = function (el) {
  var data = this.data.join('');
  try {
    switch (el) {
      case 'BOOLEAN': this.push(data === '1'); break;
      case 'INT': case 'I4': case 'I8': this.push(parseInt(data, 10)); break;
      case 'DOUBLE': this.push(parseFloat(data)); break;
      case 'STRING': case 'NAME': this.push(data); break;
      case 'DATETIME.ISO8601': this.push(dateFormatter.decodeIso8601(data)); break;
      case 'BASE64': this.push(Buffer.from(data, 'base64')); break;
      case 'NIL': this.push(null); break;
      case 'ARRAY': this.push(this.stack.splice(this.marks.pop())); break;
      case 'STRUCT': {
        var items = this.stack.splice(this.marks.pop());
        var struct = {};
        for (var i = 0; i < items.length; i += 2) struct[items[i]] = items[i + 1];
        this.push(struct);
        break;
      }
      case 'VALUE': if (this.value) this.push(data); break;
      case 'METHODNAME': this.methodname = data; break;
      case 'METHODCALL': case 'METHODRESPONSE': this.type = el.toLowerCase(); break;
      case 'PARAMS': this.responseType = 'params'; break;
      case 'FAULT': this.responseType = 'fault'; break;
    }
  } catch (e) {
    this.onError(e);
  }
  this.data = [];
};
