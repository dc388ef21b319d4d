/*! fixture-lib v1.0.0 | MIT. Benign twin: terser-style minified code with short names and no string array. */
"use strict";var e=function(e,t){return e+t},t=function(t){return t.map(function(t){return e(t,1)})};module.exports={add:e,inc:t};
//# sourceMappingURL=fixture-lib.min.js.map
