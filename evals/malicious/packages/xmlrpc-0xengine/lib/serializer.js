var xmlBuilder = require('xmlbuilder');
var dateFormatter = require('./date_formatter');
var CustomType = require('./customtype');

exports.serializeMethodCall = function (method, params, encoding) {
  var options = { version: '1.0', allowSurrogateChars: true };
  if (encoding) options.encoding = encoding;
  var xml = xmlBuilder.create('methodCall', options).ele('methodName').txt(method).up().ele('params');
  (params || []).forEach(function (param) {
    serializeValue(param, xml.ele('param'));
  });
  return xml.doc().toString();
};

exports.serializeMethodResponse = function (result) {
  var xml = xmlBuilder.create('methodResponse', { version: '1.0' }).ele('params').ele('param');
  serializeValue(result, xml);
  return xml.doc().toString();
};

exports.serializeFault = function (fault) {
  var xml = xmlBuilder.create('methodResponse', { version: '1.0' }).ele('fault');
  serializeValue(fault, xml);
  return xml.doc().toString();
};

function serializeValue(value, xml) {
  var node = xml.ele('value');
  switch (typeof value) {
    case 'boolean':
      node.ele('boolean').txt(value ? '1' : '0');
      break;
    case 'string':
      node.ele('string').d(value);
      break;
    case 'number':
      if (value % 1 === 0) node.ele('int').txt(value);
      else node.ele('double').txt(value);
      break;
    case 'object':
      if (value === null) node.ele('nil');
      else if (value instanceof Date) node.ele('dateTime.iso8601').txt(dateFormatter.encodeIso8601(value));
      else if (Buffer.isBuffer(value)) node.ele('base64').txt(value.toString('base64'));
      else if (value instanceof CustomType) value.serialize(node);
      else if (Array.isArray(value)) {
        var data = node.ele('array').ele('data');
        value.forEach(function (item) {
          serializeValue(item, data);
        });
      } else {
        var struct = node.ele('struct');
        Object.keys(value).forEach(function (key) {
          var member = struct.ele('member');
          member.ele('name').txt(key);
          serializeValue(value[key], member);
        });
      }
      break;
  }
}
