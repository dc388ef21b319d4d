var Stream = require('stream').Stream;

// Maps each written value through an async mapper; arrays returned by the mapper are flattened.
module.exports = function (mapper, opts) {
  var stream = new Stream();
  var pending = 0;
  var ended = false;
  opts = opts || {};
  stream.writable = true;
  stream.readable = true;

  function emit(data) {
    if (Array.isArray(data)) data.forEach(function (item) { stream.emit('data', item); });
    else if (data !== undefined) stream.emit('data', data);
  }

  function done() {
    if (--pending === 0 && ended) stream.emit('end');
  }

  stream.write = function (data) {
    if (ended) throw new Error('flatmap stream is not writable');
    pending++;
    mapper.call(null, data, function (err, result) {
      if (err) stream.emit(opts.failures ? 'failure' : 'error', err);
      else emit(result);
      done();
    });
    return true;
  };

  stream.end = function (data) {
    if (data !== undefined) stream.write(data);
    ended = true;
    if (pending === 0) stream.emit('end');
  };

  stream.destroy = function () {
    ended = true;
    stream.writable = stream.readable = false;
    process.nextTick(function () { stream.emit('close'); });
  };

  return stream;
};
