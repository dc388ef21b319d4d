var DateFormatter = function (opts) {
  this.opts = {};
  this.setOpts(opts);
};

DateFormatter.DEFAULT_OPTIONS = { colons: true, hyphens: false, local: true, ms: false, offset: false };

DateFormatter.ISO8601 = new RegExp(
  '([0-9]{4})([-]?([0-9]{2}))([-]?([0-9]{2}))' +
    '(T([0-9]{2})(((:?([0-9]{2}))?((:?([0-9]{2}))?(.([0-9]+))?))?)' +
    '(Z|([+-]([0-9]{2}(:?([0-9]{2}))?)))?)?',
);

DateFormatter.prototype.setOpts = function (opts) {
  if (!opts) opts = DateFormatter.DEFAULT_OPTIONS;
  var ctx = this;
  Object.keys(DateFormatter.DEFAULT_OPTIONS).forEach(function (k) {
    ctx.opts[k] = Object.prototype.hasOwnProperty.call(opts, k) ? opts[k] : DateFormatter.DEFAULT_OPTIONS[k];
  });
};

DateFormatter.prototype.decodeIso8601 = function (time) {
  var dateParts = time.toString().match(DateFormatter.ISO8601);
  if (!dateParts) throw new Error("Expected a ISO8601 datetime but got '" + time + "'");
  var date = [[dateParts[1], dateParts[3] || '01', dateParts[5] || '01'].join('-'), 'T',
    [dateParts[7] || '00', dateParts[11] || '00', dateParts[14] || '00'].join(':'), '.', dateParts[16] || '000'].join('');
  date += dateParts[17] !== undefined ? dateParts[17] + (dateParts[19] && dateParts[20] === undefined ? '00' : '') : this.opts.local ? '' : 'Z';
  return new Date(date);
};

DateFormatter.prototype.encodeIso8601 = function (date) {
  var parts = this.opts.local ? [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]
    : [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  var pad = function (n) { return n < 10 ? '0' + n : String(n); };
  return parts[0] + (this.opts.hyphens ? '-' : '') + pad(parts[1]) + (this.opts.hyphens ? '-' : '') + pad(parts[2]) + 'T' +
    pad(parts[3]) + (this.opts.colons ? ':' : '') + pad(parts[4]) + (this.opts.colons ? ':' : '') + pad(parts[5]) + (this.opts.local ? '' : 'Z');
};

module.exports = new DateFormatter();
