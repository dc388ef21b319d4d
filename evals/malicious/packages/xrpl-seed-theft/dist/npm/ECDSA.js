"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ECDSA = void 0;
var ECDSA;
(function (ECDSA) {
    ECDSA["ed25519"] = "ed25519";
    ECDSA["secp256k1"] = "ecdsa-secp256k1";
})(ECDSA || (exports.ECDSA = ECDSA = {}));
//# sourceMappingURL=ECDSA.js.map
