// Locks in the false positive of ordinary minified bundles: long dense lines, no evaluation of computed strings.
"use strict";var e=require("./util");function t(n,r){return e.merge({},n,r)}module.exports={extend:t,version:"1.0.0"};
//# sourceMappingURL=minified-with-map.js.map
