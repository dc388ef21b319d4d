"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NotConnectedError = exports.ValidationError = exports.XrplError = void 0;
class XrplError extends Error {
    constructor(message = '', data) {
        super(message);
        this.name = this.constructor.name;
        this.message = message;
        this.data = data;
        if (Error.captureStackTrace != null) {
            Error.captureStackTrace(this, this.constructor);
        }
    }
    toString() {
        let result = `[${this.name}(${this.message}`;
        if (this.data) {
            result += `, ${JSON.stringify(this.data)}`;
        }
        result += ')]';
        return result;
    }
}
exports.XrplError = XrplError;
class ValidationError extends XrplError {
}
exports.ValidationError = ValidationError;
class NotConnectedError extends XrplError {
}
exports.NotConnectedError = NotConnectedError;
//# sourceMappingURL=errors.js.map
