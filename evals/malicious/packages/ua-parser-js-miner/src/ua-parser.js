/* UAParser.js (defanged replay copy) — a small subset of the real parser's regex maps */
(function (window, undefined) {
  'use strict';
  var LIBVERSION = '0.7.29',
    EMPTY = '',
    UNKNOWN = '?',
    FUNC_TYPE = 'function',
    UNDEF_TYPE = 'undefined',
    OBJ_TYPE = 'object',
    STR_TYPE = 'string',
    MAJOR = 'major',
    MODEL = 'model',
    NAME = 'name',
    TYPE = 'type',
    VENDOR = 'vendor',
    VERSION = 'version',
    ARCHITECTURE = 'architecture',
    MOBILE = 'mobile',
    TABLET = 'tablet';

  var util = {
    has: function (str1, str2) {
      return typeof str1 === STR_TYPE ? str2.toLowerCase().indexOf(str1.toLowerCase()) !== -1 : false;
    },
    lowerize: function (str) {
      return str.toLowerCase();
    },
    major: function (version) {
      return typeof version === STR_TYPE ? version.replace(/[^\d\.]/g, '').split('.')[0] : undefined;
    },
    trim: function (str) {
      return str.replace(/^[\s\uFEFF\xA0]+|[\s\uFEFF\xA0]+$/g, '');
    },
  };

  var mapper = {
    rgx: function (ua, arrays) {
      var i = 0, j, k, p, q, matches, match;
      while (i < arrays.length && !matches) {
        var regex = arrays[i], props = arrays[i + 1];
        j = k = 0;
        while (j < regex.length && !matches) {
          matches = regex[j++].exec(ua);
          if (!!matches) {
            for (p = 0; p < props.length; p++) {
              match = matches[++k];
              q = props[p];
              if (typeof q === OBJ_TYPE && q.length > 0) {
                this[q[0]] = q.length == 2 ? q[1] : match;
              } else {
                this[q] = match ? match : undefined;
              }
            }
          }
        }
        i += 2;
      }
    },
  };

  var regexes = {
    browser: [
      [/(opera\smini)\/([\w\.-]+)/i, /(opera\s[mobiletab]+).+version\/([\w\.-]+)/i], [NAME, VERSION],
      [/(chromium|chrome|firefox|safari)\/v?([\w\.]+)/i], [NAME, VERSION],
      [/(?:ms|\()(ie)\s([\w\.]+)/i], [[NAME, 'IE'], VERSION],
    ],
    cpu: [
      [/(?:(amd|x(?:(?:86|64)[_-])?|wow|win)64)[;\)]/i], [[ARCHITECTURE, 'amd64']],
      [/((?:i[346]|x)86)[;\)]/i], [[ARCHITECTURE, 'ia32']],
      [/(arm(?:v[67])?ht?n?[fl]p?)/i], [[ARCHITECTURE, 'arm']],
    ],
    os: [
      [/microsoft\s(windows)\s(vista|xp)/i], [NAME, VERSION],
      [/(android|webos|palm\sos|qnx|bada|rim\stablet\sos|meego|sailfish|contiki)[\/\s-]?([\w\.]*)/i], [NAME, VERSION],
      [/(mac\sos\sx)\s?([\w\s\.]*)/i], [NAME, VERSION],
      [/(linux)\s?([\w\.]*)/i], [NAME, VERSION],
    ],
  };

  var UAParser = function (ua) {
    if (!(this instanceof UAParser)) return new UAParser(ua).getResult();
    var _ua = ua || (typeof window !== UNDEF_TYPE && window.navigator && window.navigator.userAgent ? window.navigator.userAgent : EMPTY);
    this.getBrowser = function () {
      var browser = { name: undefined, version: undefined };
      mapper.rgx.call(browser, _ua, regexes.browser);
      browser.major = util.major(browser.version);
      return browser;
    };
    this.getCPU = function () {
      var cpu = { architecture: undefined };
      mapper.rgx.call(cpu, _ua, regexes.cpu);
      return cpu;
    };
    this.getOS = function () {
      var os = { name: undefined, version: undefined };
      mapper.rgx.call(os, _ua, regexes.os);
      return os;
    };
    this.getResult = function () {
      return { ua: _ua, browser: this.getBrowser(), os: this.getOS(), cpu: this.getCPU() };
    };
    this.getUA = function () {
      return _ua;
    };
    return this;
  };

  UAParser.VERSION = LIBVERSION;
  if (typeof exports !== UNDEF_TYPE) {
    if (typeof module !== UNDEF_TYPE && module.exports) exports = module.exports = UAParser;
    exports.UAParser = UAParser;
  } else if (typeof window !== UNDEF_TYPE) {
    window.UAParser = UAParser;
  }
})(typeof window === 'object' ? window : this);
