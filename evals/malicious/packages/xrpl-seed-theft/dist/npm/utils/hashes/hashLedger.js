"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hashSignedTx = void 0;
const utils_1 = require("@xrplf/isomorphic/utils");
const ripple_binary_codec_1 = require("ripple-binary-codec");
const errors_1 = require("../../errors");
const HashPrefix_1 = require("./HashPrefix");
const sha512Half_1 = require("./sha512Half");
function hashSignedTx(tx) {
    let txBlob;
    let txObject;
    if (typeof tx === 'string') {
        txBlob = tx;
        txObject = (0, ripple_binary_codec_1.decode)(tx);
    }
    else {
        txBlob = (0, ripple_binary_codec_1.encode)(tx);
        txObject = tx;
    }
    if (txObject.TxnSignature === undefined &&
        txObject.Signers === undefined &&
        txObject.SigningPubKey === undefined) {
        throw new errors_1.ValidationError('The transaction must be signed to hash it.');
    }
    const prefix = HashPrefix_1.default.TRANSACTION_ID.toString(16).toUpperCase();
    return (0, sha512Half_1.sha512Half)(prefix.concat(txBlob));
}
exports.hashSignedTx = hashSignedTx;
//# sourceMappingURL=hashLedger.js.map
