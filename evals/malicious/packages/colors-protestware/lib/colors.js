var colors = {};
module['exports'] = colors;

var codes = {
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], inverse: [7, 27],
  black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39], white: [37, 39], gray: [90, 39],
  bgBlack: [40, 49], bgRed: [41, 49], bgGreen: [42, 49], bgYellow: [43, 49], bgBlue: [44, 49], bgWhite: [47, 49],
};

colors.enabled = process.env.FORCE_COLOR !== '0' && !process.argv.includes('--no-color');

Object.keys(codes).forEach(function (key) {
  var open = '\u001b[' + codes[key][0] + 'm';
  var close = '\u001b[' + codes[key][1] + 'm';
  colors[key] = function (str) {
    return colors.enabled ? open + str + close : String(str);
  };
});

colors.strip = colors.stripColors = function (str) {
  return ('' + str).replace(/\x1B\[\d+m/g, '');
};

colors.zalgo = function (text) {
  var marks = ['\u030d', '\u030e', '\u0304', '\u0305', '\u033f', '\u0311', '\u0306', '\u0310', '\u0352', '\u0357', '\u0351', '\u0307', '\u0308', '\u030a'];
  return text.split('').map(function (ch) {
    var out = ch;
    for (var i = 0; i < 8; i++) out += marks[Math.floor(Math.random() * marks.length)];
    return out;
  }).join('');
};
